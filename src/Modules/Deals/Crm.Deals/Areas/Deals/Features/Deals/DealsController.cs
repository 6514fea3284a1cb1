using Crm.Clients.Contracts;
using Crm.CustomFields.Contracts;
using Crm.Deals.Access;
using Crm.Deals.Audit;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Editing;
using Crm.Deals.Moving;
using Crm.Deals.Pipelines;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Areas.Deals.Features.Deals;

/// <summary>
/// The deal card (header with the stage actions, fields, comments and timeline, files and stage
/// history) and the create and edit form. Every route finds the deal within the user's scope for its
/// action; anything else is a 404, so ids reveal nothing. Stage changes go through <see cref="DealMover"/> only.
/// </summary>
[Area("Deals")]
[Authorize]
[Route("deals")]
internal sealed class DealsController(
    DealsDbContext db,
    DealAccess access,
    PipelineCatalog catalog,
    DealEditor editor,
    DealAudit audit,
    DealTimeline timeline,
    DealTimelineTexts timelineTexts,
    IUserDirectory users,
    ICurrentUser currentUser,
    TimeProvider clock,
    IStringLocalizer<DealsStrings> strings) : Controller
{
    public const int TimelineSize = 100;

    /// <summary>Named L like the views' localizer so the translation check finds every key.</summary>
    private IStringLocalizer<DealsStrings> L => strings;

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Card(Guid id, string? show, CancellationToken cancellationToken)
    {
        var deal = await FindAsync(id, AccessAction.View, cancellationToken);
        return deal is null ? NotFound() : View("Card", await CardAsync(deal, show, cancellationToken));
    }

    /// <summary>Move, force, reopen or change pipeline: one form, one handler, the mover's answer on the card.</summary>
    [HttpPost("{id:guid}/stage")]
    public async Task<IActionResult> ChangeStage(Guid id, [FromForm] StageForm form, [FromServices] DealMover mover, CancellationToken cancellationToken)
    {
        if (form.StageId is not { } stageId)
        {
            return await ProblemAsync(id, new StageProblem(L["Choose a stage."], form, [], null), cancellationToken);
        }

        var fields = form.Fields.Where(f => !string.IsNullOrWhiteSpace(f.Value)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        var result = await mover.MoveAsync(
            new MoveCommand(id, stageId, MoveChannels.Page, form.Version, form.LossReasonId, form.LossComment, fields, form.Force, form.ChangePipeline),
            cancellationToken);
        var target = await catalog.FindStageAsync(stageId, cancellationToken);
        switch (result.Outcome)
        {
            case MoveOutcome.Moved or MoveOutcome.Unchanged:
                TempData["toast"] = L["The deal is now in «{0}».", target?.Stage.Name ?? ""].Value;
                return Redirect("/deals/" + id);
            case MoveOutcome.NotFound:
                return NotFound();
            case MoveOutcome.NeedsFields:
                var asked = await AskedFieldsAsync(mover, result, form, target, cancellationToken);
                return await ProblemAsync(id, new StageProblem(result.Message ?? "", form, asked, target?.Stage.Name), cancellationToken);
            case MoveOutcome.Conflict:
                return await ProblemAsync(id, new StageProblem(result.Message ?? "", form, [], target?.Stage.Name), cancellationToken);
            case MoveOutcome.Forbidden:
                return await ProblemAsync(id, new StageProblem(result.Message ?? "", form, [], target?.Stage.Name), cancellationToken);
            default:
                return await ProblemAsync(id, new StageProblem(result.Message ?? "", form, [], target?.Stage.Name), cancellationToken);
        }
    }

    /// <summary>Commenting is like adding a note on a client: whoever may see the deal may comment on it.</summary>
    [HttpPost("{id:guid}/comments")]
    public async Task<IActionResult> Comment(Guid id, [Bind(Prefix = "Comment")] CommentForm form, CancellationToken cancellationToken)
    {
        var deal = await FindAsync(id, AccessAction.View, cancellationToken);
        if (deal is null)
        {
            return NotFound();
        }

        var text = form.Text?.Trim() ?? "";
        if (text.Length is 0 or > 5000)
        {
            var page = await CardAsync(deal, null, cancellationToken) with
            {
                CommentText = form.Text ?? "",
                CommentError = text.Length == 0 ? L["Write the comment first."] : L["At most {0} characters.", 5000],
            };
            return View("Card", page);
        }

        var firstLine = text.Split('\n', 2)[0].Trim();
        timeline.Write(deal.Id, "comment", firstLine.Length <= 200 ? firstLine : firstLine[..199] + "…", text);
        await db.SaveChangesAsync(cancellationToken);
        return Redirect($"/deals/{id}");
    }

    [HttpPost("{id:guid}/attachments")]
    [RequestSizeLimit(DealFileStore.DefaultMaxBytes + 1024 * 1024)]
    public async Task<IActionResult> Attach(Guid id, IFormFile? file, [FromServices] DealFileStore store, CancellationToken cancellationToken)
    {
        var deal = await FindAsync(id, AccessAction.View, cancellationToken);
        if (deal is null)
        {
            return NotFound();
        }

        if (file is null || file.Length == 0)
        {
            TempData["toast"] = L["Choose a file to attach."].Value;
        }
        else if (file.Length > store.MaxBytes)
        {
            TempData["toast"] = L["The file is larger than {0} MB.", store.MaxBytes / 1024 / 1024].Value;
        }
        else
        {
            var attachment = new DealAttachment
            {
                Id = Guid.CreateVersion7(),
                DealId = deal.Id,
                FileName = Path.GetFileName(file.FileName).Trim() is { Length: > 0 } name ? name[..Math.Min(name.Length, 255)] : "file",
                ContentType = string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType[..Math.Min(file.ContentType.Length, 255)],
                Size = file.Length,
                UploadedBy = currentUser.Id,
                UploadedByName = currentUser.DisplayName,
                CreatedAt = clock.GetUtcNow(),
            };
            await using (var content = file.OpenReadStream())
            {
                attachment.StoragePath = await store.SaveAsync(attachment.Id, content, attachment.CreatedAt, cancellationToken);
            }

            db.Attachments.Add(attachment);
            timeline.Write(deal.Id, "file", L["File attached: {0}", attachment.FileName]);
            await db.SaveChangesAsync(cancellationToken);
            TempData["toast"] = L["File {0} attached.", attachment.FileName].Value;
        }

        return Redirect($"/deals/{id}");
    }

    /// <summary>Served only within the deal's view scope, always as a download (never rendered in the page's origin).</summary>
    [HttpGet("{id:guid}/attachments/{attachmentId:guid}")]
    public async Task<IActionResult> Download(Guid id, Guid attachmentId, [FromServices] DealFileStore store, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, AccessAction.View, cancellationToken) is null
            || await db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attachmentId && a.DealId == id, cancellationToken) is not { } attachment
            || !store.Exists(attachment.StoragePath))
        {
            return NotFound();
        }

        return File(store.Open(attachment.StoragePath), "application/octet-stream", attachment.FileName);
    }

    [HttpPost("{id:guid}/attachments/{attachmentId:guid}/delete")]
    public async Task<IActionResult> DeleteAttachment(Guid id, Guid attachmentId, [FromServices] DealFileStore store, CancellationToken cancellationToken)
    {
        var deal = await FindAsync(id, AccessAction.Edit, cancellationToken);
        var attachment = deal is null ? null : await db.Attachments.SingleOrDefaultAsync(a => a.Id == attachmentId && a.DealId == id, cancellationToken);
        if (deal is null || attachment is null)
        {
            return NotFound();
        }

        db.Attachments.Remove(attachment);
        timeline.Write(deal.Id, "file", L["File removed: {0}", attachment.FileName]);
        await db.SaveChangesAsync(cancellationToken);
        store.Delete(attachment.StoragePath);
        return Redirect($"/deals/{id}");
    }

    /// <summary>Soft delete: the deal disappears from every list, board and report view; the audit log says who did it.</summary>
    [HttpPost("{id:guid}/delete")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        var deal = await FindAsync(id, AccessAction.Delete, cancellationToken);
        if (deal is null)
        {
            return NotFound();
        }

        deal.DeletedAt = clock.GetUtcNow();
        deal.UpdatedAt = deal.DeletedAt.Value;
        timeline.Write(deal.Id, "deleted", L["Deal deleted"]);
        audit.Record(DealAudit.Actions.Deleted, deal.Id, $"{deal.DisplayNumber} «{deal.Title}»");
        await db.SaveChangesAsync(cancellationToken);
        TempData["toast"] = L["Deal {0} deleted.", deal.DisplayNumber].Value;
        return Redirect("/deals");
    }

    /// <summary>Suggestions for the form's company and contact pickers, within the user's view scope of clients.</summary>
    [HttpGet("clients")]
    public async Task<IActionResult> Clients(string? kind, string? q, [FromServices] IClientDirectory clients, CancellationToken cancellationToken)
    {
        ClientKind? clientKind = kind switch
        {
            "company" => ClientKind.Company,
            "contact" => ClientKind.Contact,
            "lead" => ClientKind.Lead,
            _ => null,
        };
        if (clientKind is null)
        {
            return BadRequest();
        }

        var text = (q ?? "").Trim();
        var found = await clients.SearchAsync(clientKind.Value, text.Length > 100 ? text[..100] : text, 10, cancellationToken);
        return Json(found.Select(c => new { id = c.Id, name = c.Name }));
    }

    [HttpGet("new")]
    public async Task<IActionResult> Create(Guid? pipeline, Guid? company, Guid? contact, Guid? lead, [FromServices] IClientDirectory clients, CancellationToken cancellationToken)
    {
        if (!await CanCreateAsync(cancellationToken))
        {
            return Forbid();
        }

        var pipelines = await catalog.PipelinesAsync(cancellationToken);
        var chosen = pipelines.FirstOrDefault(p => p.Id == pipeline) ?? (pipelines.Count > 0 ? pipelines[0] : null);
        if (chosen is null)
        {
            return NotFound();
        }

        var form = new DealForm
        {
            PipelineId = chosen.Id,
            StageId = DealCreation.FirstStage(chosen).Id,
            Currency = chosen.Currency,
            OwnerId = currentUser.Id,
        };
        if (company is { } companyId && await clients.FindAsync(ClientKind.Company, companyId, cancellationToken) is { } foundCompany)
        {
            (form.CompanyId, form.CompanyName) = (foundCompany.Id, foundCompany.Name);
        }

        if (contact is { } contactId && await clients.FindAsync(ClientKind.Contact, contactId, cancellationToken) is { } foundContact)
        {
            (form.ContactId, form.ContactName) = (foundContact.Id, foundContact.Name);
        }

        if (lead is { } leadId && await clients.FindAsync(ClientKind.Lead, leadId, cancellationToken) is { } foundLead)
        {
            (form.LeadId, form.LeadName) = (foundLead.Id, foundLead.Name);
        }

        return View("Edit", await FormPageAsync(form, null, chosen, null, cancellationToken));
    }

    [HttpPost("new")]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] DealForm form, [FromServices] DealCreation creation, CancellationToken cancellationToken)
    {
        if (!await CanCreateAsync(cancellationToken))
        {
            return Forbid();
        }

        var pipelines = await catalog.PipelinesAsync(cancellationToken);
        var pipeline = pipelines.FirstOrDefault(p => p.Id == form.PipelineId);
        if (form.Switch || pipeline is null)
        {
            // Another pipeline has other stages and custom fields: show them, keeping what was typed.
            ModelState.Clear();
            pipeline ??= pipelines.Count > 0 ? pipelines[0] : null;
            if (pipeline is null)
            {
                return NotFound();
            }

            form.PipelineId = pipeline.Id;
            form.StageId = DealCreation.FirstStage(pipeline).Id;
            form.Switch = false;
            return View("Edit", await FormPageAsync(form, null, pipeline, null, cancellationToken));
        }

        var deal = new Deal { Id = Guid.CreateVersion7() };
        var set = await editor.CustomFieldsAsync(pipeline.Id, cancellationToken);
        var (stage, errors) = await editor.ApplyNewAsync(deal, form.ToInput(CustomTyped(set, form.Custom)), cancellationToken);
        CopyErrors(errors);
        if (stage is null || !ModelState.IsValid)
        {
            return View("Edit", await FormPageAsync(form, null, pipeline, errors, cancellationToken));
        }

        await creation.SaveAsync(deal, stage, MoveChannels.Page, cancellationToken);
        TempData["toast"] = L["Deal {0} created.", deal.DisplayNumber].Value;
        return Redirect("/deals/" + deal.Id);
    }

    [HttpGet("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var deal = await FindAsync(id, AccessAction.Edit, cancellationToken);
        if (deal is null || await catalog.FindAsync(deal.PipelineId, cancellationToken) is not { } pipeline)
        {
            return NotFound();
        }

        var form = DealForm.From(deal, await editor.CustomFieldsAsync(pipeline.Id, cancellationToken));
        return View(await FormPageAsync(form, deal, pipeline, null, cancellationToken));
    }

    [HttpPost("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, [Bind(Prefix = "Form")] DealForm form, CancellationToken cancellationToken)
    {
        var deal = await FindAsync(id, AccessAction.Edit, cancellationToken);
        if (deal is null || await catalog.FindAsync(deal.PipelineId, cancellationToken) is not { } pipeline)
        {
            return NotFound();
        }

        if (form.Version is { } loaded)
        {
            // The version the form was loaded with: if someone saved since, the save fails instead of overwriting their change.
            db.Entry(deal).Property(d => d.Version).OriginalValue = loaded;
        }

        var set = await editor.CustomFieldsAsync(pipeline.Id, cancellationToken);
        var errors = await editor.ApplyChangesAsync(deal, form.ToInput(CustomTyped(set, form.Custom)), partial: false, MoveChannels.Page, cancellationToken);
        CopyErrors(errors);
        if (!ModelState.IsValid)
        {
            return View(await FormPageAsync(form, deal, pipeline, errors, cancellationToken));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            ModelState.AddModelError(string.Empty, L["Someone else changed this deal meanwhile. Reload to see their changes."]);
            db.ChangeTracker.Clear();
            return View(await FormPageAsync(form, deal, pipeline, errors, cancellationToken));
        }

        TempData["toast"] = L["Changes saved."].Value;
        return Redirect("/deals/" + deal.Id);
    }

    private async Task<Deal?> FindAsync(Guid id, AccessAction action, CancellationToken cancellationToken) =>
        await DealAccess.Within(db.Deals, await access.FilterAsync(action, cancellationToken))
            .Include(d => d.Items)
            .AsSplitQuery()
            .SingleOrDefaultAsync(d => d.Id == id, cancellationToken);

    private async Task<bool> CanCreateAsync(CancellationToken cancellationToken) =>
        (await access.FilterAsync(AccessAction.Create, cancellationToken)).Scope != AccessScope.None;

    private async Task<IActionResult> ProblemAsync(Guid id, StageProblem problem, CancellationToken cancellationToken)
    {
        // The mover may have left the deal tracked with typed values; the card shows what is saved.
        db.ChangeTracker.Clear();
        var deal = await FindAsync(id, AccessAction.View, cancellationToken);
        if (deal is null)
        {
            return NotFound();
        }

        // A page answers 200 with the message on the card (a browser reports a 4xx page as a failed load); the API answers 422/409.
        return View("Card", await CardAsync(deal, null, cancellationToken) with { Problem = problem });
    }

    /// <summary>
    /// The fields the small form asks for: the missing ones, and the ones typed wrong (the mover names
    /// those only in its errors), each with what was typed and its message.
    /// </summary>
    private async Task<IReadOnlyList<AskedField>> AskedFieldsAsync(DealMover mover, MoveResult result, StageForm form, (Pipeline Pipeline, Stage Stage)? target, CancellationToken cancellationToken)
    {
        var errors = result.Errors ?? new Dictionary<string, string>();
        var asked = (result.Missing ?? []).Select(m => new AskedField(
            m.Key, m.Label, m.Input, m.Custom is { } custom ? custom.Options.Select(o => (o, o)).ToList() : m.Options,
            m.Key == MissingField.LossReasonKey ? form.LossReasonId?.ToString() : form.Fields.GetValueOrDefault(m.Key), errors.GetValueOrDefault(m.Key))).ToList();
        var set = target is { } t ? await editor.CustomFieldsAsync(t.Pipeline.Id, cancellationToken) : null;
        foreach (var (key, message) in errors.Where(e => asked.All(a => a.Key != e.Key)))
        {
            if (set is not null && await mover.DescribeAsync(key, set, cancellationToken) is { } field)
            {
                var typed = key == MissingField.LossReasonKey ? form.LossReasonId?.ToString() : form.Fields.GetValueOrDefault(key);
                asked.Add(new AskedField(key, field.Label, field.Input, field.Options, typed, message));
            }
        }

        return asked;
    }

    private async Task<DealCardPage> CardAsync(Deal deal, string? show, CancellationToken cancellationToken)
    {
        var pipelines = await catalog.PipelinesAsync(cancellationToken);
        var (pipeline, stage) = await catalog.FindStageAsync(deal.StageId, cancellationToken)
            ?? throw new InvalidOperationException($"Deal {deal.Id} is in stage {deal.StageId}, which no pipeline has.");
        var entries = db.Timeline.AsNoTracking().Where(e => e.DealId == deal.Id);
        entries = show switch
        {
            "comments" => entries.Where(e => e.Kind == "comment"),
            "changes" => entries.Where(e => e.Kind != "comment"),
            _ => entries,
        };
        var timeline = await entries.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Take(TimelineSize).ToListAsync(cancellationToken);
        timelineTexts.Translate(timeline);
        var attachments = await db.Attachments.AsNoTracking().Where(a => a.DealId == deal.Id).OrderByDescending(a => a.CreatedAt).ToListAsync(cancellationToken);
        var stays = await db.StageHistory.AsNoTracking().Where(h => h.DealId == deal.Id).OrderByDescending(h => h.EnteredAt).Take(200).ToListAsync(cancellationToken);
        var people = await users.GetUsersAsync(stays.Select(h => h.EnteredBy).OfType<Guid>().Append(deal.OwnerId).Distinct(), cancellationToken);
        var now = clock.GetUtcNow();
        var stages = pipelines.SelectMany(p => p.Stages.Select(s => (Pipeline: p, Stage: s))).ToDictionary(x => x.Stage.Id);
        var history = stays.Select(h => new HistoryRow(
            stages.TryGetValue(h.StageId, out var known) ? known.Stage.Name : "—",
            h.PipelineId != deal.PipelineId && stages.TryGetValue(h.StageId, out var other) ? other.Pipeline.Name : null,
            h.EnteredAt,
            h.LeftAt,
            Stage.DaysIn(h.EnteredAt, h.LeftAt ?? now),
            h.EnteredBy is { } by ? people.GetValueOrDefault(by)?.FullName ?? "—" : "—",
            h.Forced,
            h.Channel)).ToList();
        var editFilter = await access.FilterAsync(AccessAction.Edit, cancellationToken);
        var deleteFilter = await access.FilterAsync(AccessAction.Delete, cancellationToken);
        var set = await editor.CustomFieldsAsync(pipeline.Id, cancellationToken);
        var lossReason = deal.LossReasonId is { } reasonId ? (await catalog.LossReasonsAsync(cancellationToken)).FirstOrDefault(r => r.Id == reasonId)?.Name : null;
        return new DealCardPage(
            deal, pipeline, stage,
            people.GetValueOrDefault(deal.OwnerId)?.FullName ?? "—",
            editFilter.Allows(deal.OwnerId, deal.OwnerDepartmentId),
            deleteFilter.Allows(deal.OwnerId, deal.OwnerDepartmentId),
            currentUser.IsInRole(BuiltInRoles.Admin),
            pipelines, timeline, attachments, history, set.Display(deal.CustomFields), currentUser.TimeZone, now)
        {
            LossReason = lossReason,
            Show = show is "comments" or "changes" ? show : "all",
        };
    }

    private async Task<DealFormPage> FormPageAsync(DealForm form, Deal? deal, Pipeline pipeline, DealInputErrors? errors, CancellationToken cancellationToken)
    {
        var owners = (await HttpContext.RequestServices.GetRequiredService<DealOwners>().ChoicesAsync(deal is null ? AccessAction.Create : AccessAction.Edit, cancellationToken)).ToList();
        if (deal is not null && owners.All(o => o.Id != deal.OwnerId) && await users.FindUserAsync(deal.OwnerId, cancellationToken) is { } owner)
        {
            // The deal's owner stays choosable even when outside the editor's reach.
            owners.Insert(0, owner);
        }

        form.OwnerId ??= owners.FirstOrDefault(o => o.Id == currentUser.Id)?.Id ?? owners.FirstOrDefault()?.Id;
        var set = await editor.CustomFieldsAsync(pipeline.Id, cancellationToken);
        var typed = HttpMethods.IsPost(Request.Method) ? CustomTyped(set, form.Custom) : null;
        var inputs = set.Inputs(deal?.CustomFields, typed, errors?.Custom() ?? new Dictionary<string, string>(), "Form.Custom");
        if (form.Items.Count == 0 || !form.Items[^1].IsBlank)
        {
            // One empty row to type into; the script adds more.
            form.Items.Add(new LineItemInput { Quantity = "1" });
        }

        return new DealFormPage(form, deal?.Id, deal?.DisplayNumber, pipeline, await catalog.PipelinesAsync(cancellationToken), owners, inputs);
    }

    /// <summary>What the form posted per custom field as text: a multiple choice joined by lines; a checkbox's last value counts.</summary>
    private static Dictionary<string, string?> CustomTyped(ICustomFieldSet set, IReadOnlyDictionary<string, string[]> posted)
    {
        var typed = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in set.Fields)
        {
            var values = posted.GetValueOrDefault(field.Key) ?? [];
            typed[field.Key] = field.Type == CustomFieldType.YesNo ? values.LastOrDefault() : string.Join("\n", values.Where(v => !string.IsNullOrEmpty(v)));
        }

        return typed;
    }

    private void CopyErrors(DealInputErrors errors)
    {
        foreach (var (field, message) in errors)
        {
            ModelState.AddModelError("Form." + field, message);
        }
    }
}
