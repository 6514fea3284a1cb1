using Crm.CustomFields.Contracts;
using Crm.Deals.Audit;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Pipelines;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Areas.Deals.Features.Pipelines;

/// <summary>
/// Pipelines and their stages for administrators. Every change drops the cached catalog and writes a
/// "settings" line in the deals audit log in the same SaveChanges. Deals never lose their stage: a
/// stage (or pipeline) with deals goes only after its deals were moved.
/// </summary>
[Area("Deals")]
[Route("admin/pipelines")]
[Authorize(Roles = BuiltInRoles.Admin)]
internal sealed class PipelinesController(
    DealsDbContext db,
    PipelineCatalog catalog,
    DealAudit audit,
    ICustomFields customFields,
    ICurrentUser currentUser,
    TimeProvider clock,
    IStringLocalizer<DealsStrings> L) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(await ListPageAsync(new NewPipelineForm(), cancellationToken));

    [HttpPost("new")]
    public async Task<IActionResult> Create([Bind(Prefix = "New")] NewPipelineForm form, CancellationToken cancellationToken)
    {
        var name = form.Name?.Trim();
        if (form.Template != NewPipelineForm.Empty && PipelineTemplates.All.All(t => t.Key != form.Template))
        {
            ModelState.AddModelError("New.Template", L["Choose a template from the list."]);
        }
        else if (form.Template == NewPipelineForm.Empty && string.IsNullOrEmpty(name))
        {
            ModelState.AddModelError("New.Name", L["Enter the name of the new pipeline."]);
        }

        if (!ModelState.IsValid)
        {
            return View("Index", await ListPageAsync(form, cancellationToken));
        }

        var now = clock.GetUtcNow();
        var position = await db.Pipelines.Select(p => (int?)p.Position).MaxAsync(cancellationToken) is { } max ? max + 1 : 0;
        var pipeline = form.Template == NewPipelineForm.Empty ? EmptyPipeline(name!, position, now) : PipelineTemplates.Create(form.Template, L, position, now);
        if (!string.IsNullOrEmpty(name))
        {
            pipeline.Name = name;
        }

        db.Pipelines.Add(pipeline);
        audit.Record(DealAudit.Actions.Settings, null, L["Pipeline «{0}» created; stages: {1}.", pipeline.Name, pipeline.Stages.Count]);
        await SaveAsync(cancellationToken);
        TempData["toast"] = L["Pipeline «{0}» created.", pipeline.Name].Value;
        return Redirect($"/admin/pipelines/{pipeline.Id}");
    }

    /// <summary>The new order of the pipelines, from the drag and drop list: the ids, first to last.</summary>
    [HttpPost("order")]
    public async Task<IActionResult> Order([FromForm] List<Guid> ids, CancellationToken cancellationToken)
    {
        var pipelines = await db.Pipelines.ToListAsync(cancellationToken);
        if (Reorder(pipelines, ids, p => p.Id, p => p.Position, (p, position) => p.Position = position))
        {
            audit.Record(DealAudit.Actions.Settings, null, L["Pipelines reordered: {0}.", string.Join(", ", pipelines.OrderBy(p => p.Position).Select(p => p.Name))]);
            await SaveAsync(cancellationToken);
        }

        return Done("/admin/pipelines", L["The order is saved."]);
    }

    /// <summary>The keyboard fallback of the drag and drop: one step up or down.</summary>
    [HttpPost("{id:guid}/move")]
    public async Task<IActionResult> Move(Guid id, string direction, CancellationToken cancellationToken)
    {
        var pipelines = await db.Pipelines.OrderBy(p => p.Position).ThenBy(p => p.Name).ToListAsync(cancellationToken);
        if (pipelines.All(p => p.Id != id))
        {
            return NotFound();
        }

        var ids = Step(pipelines.Select(p => p.Id).ToList(), id, direction);
        return await Order(ids, cancellationToken);
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var pipeline = await LoadAsync(id, cancellationToken);
        return pipeline is null ? NotFound() : View(await EditPageAsync(pipeline, PipelineForm.From(pipeline), cancellationToken));
    }

    [HttpPost("{id:guid}")]
    public async Task<IActionResult> Edit(Guid id, [Bind(Prefix = "Form")] PipelineForm form, CancellationToken cancellationToken)
    {
        var pipeline = await LoadAsync(id, cancellationToken);
        if (pipeline is null)
        {
            return NotFound();
        }

        if (!ModelState.ContainsKey("Form.Currency") || ModelState["Form.Currency"]!.Errors.Count == 0)
        {
            if (!PipelineForm.IsCurrency(form.Currency))
            {
                ModelState.AddModelError("Form.Currency", L["Enter a three-letter currency code like RUB."]);
            }
        }

        if (!Enum.IsDefined(form.Mode))
        {
            ModelState.AddModelError("Form.Mode", L["Choose a value from the list."]);
        }

        if (!ModelState.IsValid)
        {
            return View(await EditPageAsync(pipeline, form, cancellationToken));
        }

        var changes = new List<string>();
        Track(changes, L["Name"], pipeline.Name, form.Name.Trim());
        Track(changes, L["Transition mode"], ModeText(pipeline.Mode), ModeText(form.Mode));
        Track(changes, L["Allow going back to an earlier stage"], YesNo(pipeline.AllowBack), YesNo(form.AllowBack));
        Track(changes, L["Currency"], pipeline.Currency, form.Currency.Trim().ToUpperInvariant());
        pipeline.Name = form.Name.Trim();
        pipeline.Mode = form.Mode;
        pipeline.AllowBack = form.AllowBack;
        pipeline.Currency = form.Currency.Trim().ToUpperInvariant();
        if (changes.Count > 0)
        {
            audit.Record(DealAudit.Actions.Settings, null, L["Pipeline «{0}»: {1}", pipeline.Name, string.Join("; ", changes)]);
            await SaveAsync(cancellationToken);
        }

        TempData["toast"] = L["Pipeline «{0}» saved.", pipeline.Name].Value;
        return Redirect($"/admin/pipelines/{id}");
    }

    /// <summary>Only a pipeline without deals goes (deals in the recycle bin count: they may come back), and never the last one.</summary>
    [HttpPost("{id:guid}/delete")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        var pipeline = await LoadAsync(id, cancellationToken);
        if (pipeline is null)
        {
            return NotFound();
        }

        var deals = await db.Deals.CountAsync(d => d.PipelineId == id, cancellationToken);
        string? refusal = deals > 0
            ? L["Deals in it: {0}. Move them to another pipeline or delete them first.", deals].Value
            : await db.Pipelines.CountAsync(cancellationToken) == 1 ? L["The last pipeline cannot be deleted."].Value : null;
        if (refusal is not null)
        {
            TempData["toast"] = L["Pipeline «{0}» cannot be deleted. {1}", pipeline.Name, refusal].Value;
            return Redirect($"/admin/pipelines/{id}");
        }

        db.Pipelines.Remove(pipeline);
        audit.Record(DealAudit.Actions.Settings, null, L["Pipeline «{0}» deleted.", pipeline.Name]);
        await SaveAsync(cancellationToken);
        TempData["toast"] = L["Pipeline «{0}» deleted.", pipeline.Name].Value;
        return Redirect("/admin/pipelines");
    }

    [HttpPost("{id:guid}/stages/order")]
    public async Task<IActionResult> StageOrder(Guid id, [FromForm] List<Guid> ids, CancellationToken cancellationToken)
    {
        var pipeline = await LoadAsync(id, cancellationToken);
        if (pipeline is null)
        {
            return NotFound();
        }

        if (Reorder(pipeline.Stages, ids, s => s.Id, s => s.Position, (s, position) => s.Position = position))
        {
            audit.Record(DealAudit.Actions.Settings, null, L["Pipeline «{0}»: stages reordered: {1}.", pipeline.Name, string.Join(", ", pipeline.Stages.OrderBy(s => s.Position).Select(s => s.Name))]);
            await SaveAsync(cancellationToken);
        }

        return Done($"/admin/pipelines/{id}", L["The order is saved."]);
    }

    [HttpPost("{id:guid}/stages/{stageId:guid}/move")]
    public async Task<IActionResult> StageMove(Guid id, Guid stageId, string direction, CancellationToken cancellationToken)
    {
        var pipeline = await LoadAsync(id, cancellationToken);
        if (pipeline?.Stages.FirstOrDefault(s => s.Id == stageId) is null)
        {
            return NotFound();
        }

        return await StageOrder(id, Step(pipeline.Stages.Select(s => s.Id).ToList(), stageId, direction), cancellationToken);
    }

    [HttpGet("{id:guid}/stages/new")]
    public async Task<IActionResult> CreateStage(Guid id, CancellationToken cancellationToken)
    {
        var pipeline = await LoadAsync(id, cancellationToken);
        return pipeline is null ? NotFound() : View("Stage", await StagePageAsync(pipeline, null, new StageForm(), cancellationToken));
    }

    [HttpPost("{id:guid}/stages/new")]
    public async Task<IActionResult> CreateStage(Guid id, [Bind(Prefix = "Form")] StageForm form, CancellationToken cancellationToken)
    {
        var pipeline = await LoadAsync(id, cancellationToken);
        if (pipeline is null)
        {
            return NotFound();
        }

        var page = await StagePageAsync(pipeline, null, form, cancellationToken);
        Validate(pipeline, null, form, 0);
        if (!ModelState.IsValid)
        {
            return View("Stage", page);
        }

        // A new stage goes before the closing and pause stages, where a new working step usually belongs.
        var closing = pipeline.Stages.FirstOrDefault(s => s.IsClosed || s.IsPause);
        var position = form.Kind == StageKind.Open && !form.IsPause && closing is not null ? closing.Position : pipeline.Stages.Count;
        foreach (var later in pipeline.Stages.Where(s => s.Position >= position))
        {
            later.Position++;
        }

        var stage = new Stage { Id = Guid.CreateVersion7(), PipelineId = pipeline.Id, Position = position };
        form.ApplyTo(stage, page.Requirable.Select(r => r.Key).ToHashSet(StringComparer.Ordinal));
        db.Stages.Add(stage);
        audit.Record(DealAudit.Actions.Settings, null, L["Pipeline «{0}»: stage «{1}» added.", pipeline.Name, stage.Name]);
        await SaveAsync(cancellationToken);
        TempData["toast"] = L["Stage «{0}» added.", stage.Name].Value;
        return Redirect($"/admin/pipelines/{id}");
    }

    [HttpGet("{id:guid}/stages/{stageId:guid}")]
    public async Task<IActionResult> EditStage(Guid id, Guid stageId, CancellationToken cancellationToken)
    {
        var pipeline = await LoadAsync(id, cancellationToken);
        var stage = pipeline?.Stages.FirstOrDefault(s => s.Id == stageId);
        return stage is null ? NotFound() : View("Stage", await StagePageAsync(pipeline!, stageId, StageForm.From(stage), cancellationToken));
    }

    [HttpPost("{id:guid}/stages/{stageId:guid}")]
    public async Task<IActionResult> EditStage(Guid id, Guid stageId, [Bind(Prefix = "Form")] StageForm form, CancellationToken cancellationToken)
    {
        var pipeline = await LoadAsync(id, cancellationToken);
        var stage = pipeline?.Stages.FirstOrDefault(s => s.Id == stageId);
        if (stage is null)
        {
            return NotFound();
        }

        var page = await StagePageAsync(pipeline!, stageId, form, cancellationToken);
        var deals = form.Kind != stage.Kind ? await db.Deals.CountAsync(d => d.StageId == stageId, cancellationToken) : 0;
        Validate(pipeline!, stage, form, deals);
        if (!ModelState.IsValid)
        {
            return View("Stage", page);
        }

        var before = Describe(stage);
        form.ApplyTo(stage, page.Requirable.Select(r => r.Key).ToHashSet(StringComparer.Ordinal));
        var after = Describe(stage);
        if (before != after)
        {
            audit.Record(DealAudit.Actions.Settings, null, L["Pipeline «{0}», stage: {1} → {2}", pipeline!.Name, before, after]);
            await SaveAsync(cancellationToken);
        }

        TempData["toast"] = L["Stage «{0}» saved.", stage.Name].Value;
        return Redirect($"/admin/pipelines/{id}");
    }

    [HttpGet("{id:guid}/stages/{stageId:guid}/delete")]
    public async Task<IActionResult> DeleteStage(Guid id, Guid stageId, CancellationToken cancellationToken)
    {
        var pipeline = await LoadAsync(id, cancellationToken);
        var stage = pipeline?.Stages.FirstOrDefault(s => s.Id == stageId);
        return stage is null ? NotFound() : View(await DeletePageAsync(pipeline!, stage, null, cancellationToken));
    }

    /// <summary>
    /// Deletes a stage; its deals (live or in the recycle bin) first go to <paramref name="targetStageId"/>
    /// of the same kind, so a won deal stays won and a lost one keeps its reason. The move is a settings
    /// action, not a sale step: set-based SQL closes their stays, opens the new ones and moves the deals,
    /// in one transaction with the stage's removal and one audit line with the count.
    /// </summary>
    [HttpPost("{id:guid}/stages/{stageId:guid}/delete")]
    public async Task<IActionResult> DeleteStage(Guid id, Guid stageId, Guid? targetStageId, CancellationToken cancellationToken)
    {
        var pipeline = await LoadAsync(id, cancellationToken);
        var stage = pipeline?.Stages.FirstOrDefault(s => s.Id == stageId);
        if (stage is null)
        {
            return NotFound();
        }

        var page = await DeletePageAsync(pipeline!, stage, targetStageId, cancellationToken);
        if (page.Refusal is not null)
        {
            return View(page);
        }

        var target = page.Targets.FirstOrDefault(s => s.Id == targetStageId);
        if (page.DealCount > 0 && target is null)
        {
            ModelState.AddModelError("targetStageId", L["Choose the stage its deals move to."]);
            return View(page);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = target is null ? 0 : await MoveDealsAsync(stage, target, cancellationToken);
        db.Stages.Remove(stage);
        foreach (var later in pipeline!.Stages.Where(s => s.Position > stage.Position))
        {
            later.Position--;
        }

        audit.Record(
            DealAudit.Actions.Settings,
            null,
            moved > 0
                ? L["Pipeline «{0}»: stage «{1}» deleted; deals moved to «{3}»: {2}.", pipeline.Name, stage.Name, moved, target!.Name]
                : L["Pipeline «{0}»: stage «{1}» deleted.", pipeline.Name, stage.Name],
            moved > 0 ? moved : null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        catalog.Changed();
        TempData["toast"] = (moved > 0 ? L["Stage «{0}» deleted; deals moved to «{2}»: {1}.", stage.Name, moved, target!.Name] : L["Stage «{0}» deleted.", stage.Name]).Value;
        return Redirect($"/admin/pipelines/{id}");
    }

    private async Task<int> MoveDealsAsync(Stage source, Stage target, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        Guid? userId = currentUser.IsAuthenticated ? currentUser.Id : null;
        var channel = MoveChannels.Settings;
        var subject = L["Stage changed"].Value;
        var text = L["Stage: {0} → {1}", source.Name, target.Name].Value;
        var author = currentUser.IsAuthenticated ? currentUser.DisplayName : "";

        // Close the open stays first: the unique index allows one open stay per deal.
        await db.Database.ExecuteSqlAsync($"""
            UPDATE deals.stage_history SET left_at = {now}, left_by = {userId}
            WHERE left_at IS NULL AND deal_id IN (SELECT id FROM deals.deals WHERE stage_id = {source.Id})
            """, cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO deals.stage_history (id, deal_id, pipeline_id, stage_id, entered_at, entered_by, channel, forced)
            SELECT gen_random_uuid(), id, {target.PipelineId}, {target.Id}, {now}, {userId}, {channel}, false
            FROM deals.deals WHERE stage_id = {source.Id}
            """, cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO deals.timeline_entries (id, deal_id, kind, subject, text, author_id, author_name, created_at)
            SELECT gen_random_uuid(), id, 'stage', {subject}, {text}, {userId}, {author}, {now}
            FROM deals.deals WHERE stage_id = {source.Id}
            """, cancellationToken);
        return await db.Database.ExecuteSqlAsync($"""
            UPDATE deals.deals SET stage_id = {target.Id}, stage_entered_at = {now}, updated_at = {now}
            WHERE stage_id = {source.Id}
            """, cancellationToken);
    }

    private void Validate(Pipeline pipeline, Stage? stage, StageForm form, int dealsIfKindChanges)
    {
        var name = form.Name?.Trim() ?? "";
        if (name.Length > 0 && pipeline.Stages.Any(s => s.Id != stage?.Id && string.Equals(s.Name.Trim(), name, StringComparison.OrdinalIgnoreCase)))
        {
            ModelState.AddModelError("Form.Name", L["This pipeline already has a stage with this name."]);
        }

        if (!StageForm.IsColor(form.Color) && !(ModelState["Form.Color"]?.Errors.Count > 0))
        {
            ModelState.AddModelError("Form.Color", L["Choose a colour like #1a7f5a."]);
        }

        if (!Enum.IsDefined(form.Kind))
        {
            ModelState.AddModelError("Form.Kind", L["Choose a value from the list."]);
            return;
        }

        if (form.IsPause && form.Kind != StageKind.Open)
        {
            ModelState.AddModelError("Form.IsPause", L["Only an open stage can be a pause."]);
        }

        if (stage is not null && form.Kind != stage.Kind && dealsIfKindChanges > 0)
        {
            ModelState.AddModelError("Form.Kind", L["Deals in this stage: {0}. Its kind changes only after they are moved.", dealsIfKindChanges]);
        }
        else if (!(form.Kind == StageKind.Open && !form.IsPause) && !pipeline.Stages.Any(s => s.Id != stage?.Id && s.Kind == StageKind.Open && !s.IsPause))
        {
            ModelState.AddModelError("Form.Kind", L["A pipeline needs at least one open stage that is not a pause."]);
        }
    }

    private async Task<StageDeletePage> DeletePageAsync(Pipeline pipeline, Stage stage, Guid? targetStageId, CancellationToken cancellationToken)
    {
        var deals = await db.Deals.CountAsync(d => d.StageId == stage.Id, cancellationToken);
        var targets = pipeline.Stages.Where(s => s.Id != stage.Id && s.Kind == stage.Kind).ToList();
        string? refusal = null;
        if (stage.Kind == StageKind.Open && !stage.IsPause && !pipeline.Stages.Any(s => s.Id != stage.Id && s.Kind == StageKind.Open && !s.IsPause))
        {
            refusal = L["A pipeline needs at least one open stage that is not a pause."];
        }
        else if (deals > 0 && targets.Count == 0)
        {
            refusal = L["Its deals need another stage of the same kind to move to: add one first."];
        }

        var preselected = targetStageId ?? targets.OrderBy(s => Math.Abs(s.Position - stage.Position)).FirstOrDefault()?.Id;
        return new StageDeletePage(pipeline, stage, deals, targets, preselected, refusal);
    }

    private async Task<Pipeline?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var pipeline = await db.Pipelines.Include(p => p.Stages).SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (pipeline is not null)
        {
            pipeline.Stages = pipeline.Stages.OrderBy(s => s.Position).ToList();
        }

        return pipeline;
    }

    private async Task<PipelineListPage> ListPageAsync(NewPipelineForm form, CancellationToken cancellationToken)
    {
        var pipelines = await db.Pipelines.AsNoTracking().Include(p => p.Stages).OrderBy(p => p.Position).ThenBy(p => p.Name).ToListAsync(cancellationToken);
        var counts = await db.Deals.Where(d => d.DeletedAt == null).GroupBy(d => d.PipelineId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return new PipelineListPage(pipelines.Select(p => new PipelineRow(p, counts.GetValueOrDefault(p.Id))).ToList(), form);
    }

    private async Task<PipelineEditPage> EditPageAsync(Pipeline pipeline, PipelineForm form, CancellationToken cancellationToken)
    {
        var counts = await db.Deals.Where(d => d.PipelineId == pipeline.Id && d.DeletedAt == null).GroupBy(d => d.StageId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return new PipelineEditPage(pipeline, form, counts, await RequirableAsync(pipeline, cancellationToken));
    }

    private async Task<StageFormPage> StagePageAsync(Pipeline pipeline, Guid? stageId, StageForm form, CancellationToken cancellationToken) =>
        new(pipeline, stageId, form, await RequirableAsync(pipeline, cancellationToken));

    private async Task<IReadOnlyList<RequirableChoice>> RequirableAsync(Pipeline pipeline, CancellationToken cancellationToken)
    {
        var set = await customFields.ForAsync(EntityKinds.Deal, pipeline.Id.ToString(), cancellationToken);
        return RequirableChoices.Of(set.Fields, key => L[key]);
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        catalog.Changed();
    }

    /// <summary>A fetch from the drag and drop wants no page back; a plain form post goes back to the list.</summary>
    private IActionResult Done(string url, string message)
    {
        if (Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal))
        {
            return NoContent();
        }

        TempData["toast"] = message;
        return Redirect(url);
    }

    /// <summary>
    /// Applies the order of <paramref name="ids"/>; items it leaves out keep their relative order after
    /// the named ones, unknown ids are ignored. Answers whether anything moved.
    /// </summary>
    private static bool Reorder<T>(IReadOnlyList<T> items, IReadOnlyList<Guid> ids, Func<T, Guid> id, Func<T, int> position, Action<T, int> setPosition)
    {
        var rank = ids.Distinct().Select((value, index) => (value, index)).ToDictionary(x => x.value, x => x.index);
        var ordered = items.OrderBy(i => rank.TryGetValue(id(i), out var r) ? r : int.MaxValue).ThenBy(position).ToList();
        var changed = false;
        for (var i = 0; i < ordered.Count; i++)
        {
            if (position(ordered[i]) != i)
            {
                setPosition(ordered[i], i);
                changed = true;
            }
        }

        return changed;
    }

    private static List<Guid> Step(List<Guid> ids, Guid id, string? direction)
    {
        var index = ids.IndexOf(id);
        var other = direction == "up" ? index - 1 : index + 1;
        if (index >= 0 && other >= 0 && other < ids.Count)
        {
            (ids[index], ids[other]) = (ids[other], ids[index]);
        }

        return ids;
    }

    /// <summary>The smallest pipeline that works: one open stage, a won and a lost one; the admin adds the rest.</summary>
    private Pipeline EmptyPipeline(string name, int position, DateTimeOffset now)
    {
        var pipeline = new Pipeline { Id = Guid.CreateVersion7(), Name = name, Mode = TransitionMode.Free, AllowBack = true, Currency = "RUB", Position = position, CreatedAt = now };
        pipeline.Stages =
        [
            new Stage { Id = Guid.CreateVersion7(), PipelineId = pipeline.Id, Name = L["New"], Kind = StageKind.Open, Position = 0, Probability = 10, TimeLimitDays = 7, Color = "#6c8ebf" },
            new Stage { Id = Guid.CreateVersion7(), PipelineId = pipeline.Id, Name = L["Won"], Kind = StageKind.Won, Position = 1, Probability = 100, Color = "#2e8b57" },
            new Stage { Id = Guid.CreateVersion7(), PipelineId = pipeline.Id, Name = L["Lost"], Kind = StageKind.Lost, Position = 2, Probability = 0, Color = "#c0392b" },
        ];
        return pipeline;
    }

    private string Describe(Stage stage) =>
        $"«{stage.Name}» {L[DealTexts.Kind(stage.Kind)]}{(stage.IsPause ? ", " + L["Pause"] : "")}, {stage.Color}, {stage.Probability}%" +
        (stage.TimeLimitDays is { } days ? ", " + L["Time limit: {0} d.", days] : "") +
        (stage.RequiredFields.Count > 0 ? ", " + L["Requires: {0}", string.Join(", ", stage.RequiredFields)] : "");

    private string ModeText(TransitionMode mode) => mode == TransitionMode.InOrder ? L["In order"] : L["Free"];

    private string YesNo(bool value) => value ? L["Yes"] : L["No"];

    private static void Track(List<string> changes, string label, string before, string after)
    {
        if (!string.Equals(before, after, StringComparison.Ordinal))
        {
            changes.Add($"{label}: {before} → {after}");
        }
    }
}
