using Crm.Automation.Data;
using Crm.Automation.Areas.Automation.Features.Runs;
using Crm.Automation.Domain;
using Crm.Automation.Running;
using Crm.Deals.Contracts;
using Crm.Identity.Contracts;
using Crm.Mail.Contracts;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Automation.Areas.Automation.Features.Scenarios;

/// <summary>
/// Admin pages of scenarios: the list (filter by pipeline, switch on and off), the form (trigger, conditions,
/// ordered actions), delete, and a dry run of the scenario as typed against a deal, which changes nothing.
/// The checks are <see cref="ScenarioRules"/>, shared with the API; their messages go next to the fields.
/// </summary>
[Area("Automation")]
[Route("admin/scenarios")]
[Authorize(Roles = BuiltInRoles.Admin)]
internal sealed class ScenariosController(
    AutomationDbContext db,
    ScenarioEditor editor,
    ScenarioRules rules,
    DryRun dryRun,
    WebhookSecrets secrets,
    IDealDirectory deals,
    IPipelineDirectory pipelines,
    IUserDirectory users,
    IMailTemplates templates,
    IStringLocalizer<AutomationStrings> strings) : Controller
{
    private IStringLocalizer<AutomationStrings> L => strings;

    [HttpGet("")]
    public async Task<IActionResult> Index(Guid? pipeline, CancellationToken cancellationToken)
    {
        var query = db.Scenarios.AsNoTracking();
        if (pipeline is { } pipelineId)
        {
            query = query.Where(s => s.PipelineId == pipelineId);
        }

        var scenarios = await query.OrderBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        return View(new ScenarioListPage(scenarios, await pipelines.ListAsync(cancellationToken), pipeline));
    }

    [HttpGet("new")]
    public async Task<IActionResult> Create(Guid? pipeline, CancellationToken cancellationToken)
    {
        var draft = new ScenarioDraft
        {
            PipelineId = pipeline,
            Actions = [new ScenarioAction { Kind = ActionKinds.CreateTask, TaskKind = "call", Recipient = RecipientRules.Owner, DueOffset = "+1d 10:00" }],
        };
        return View("Edit", await PageAsync(null, null, draft, cancellationToken));
    }

    [HttpPost("new")]
    public async Task<IActionResult> Create(ScenarioDraft draft, string? command, string? dryRunDeal, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        if (command == "dry-run")
        {
            return View("Edit", await DryRunPageAsync(null, null, draft, dryRunDeal, cancellationToken));
        }

        var saved = await editor.CreateAsync(draft, cancellationToken);
        if (!saved.Succeeded)
        {
            return View("Edit", await PageAsync(null, null, draft, cancellationToken) with { Errors = saved.Errors, DryRunDeal = dryRunDeal });
        }

        TempData["toast"] = L["Scenario «{0}» saved.", saved.Scenario!.Name].Value;
        return Redirect("/admin/scenarios");
    }

    [HttpGet("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var scenario = await editor.FindAsync(id, cancellationToken);
        return scenario is null ? NotFound() : View("Edit", await PageAsync(id, scenario.Version, ScenarioDraft.From(scenario), cancellationToken));
    }

    [HttpPost("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, ScenarioDraft draft, uint? version, string? command, string? dryRunDeal, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var scenario = await editor.FindAsync(id, cancellationToken);
        if (scenario is null)
        {
            return NotFound();
        }

        if (command == "dry-run")
        {
            return View("Edit", await DryRunPageAsync(id, version, draft, dryRunDeal, cancellationToken));
        }

        var saved = await editor.UpdateAsync(scenario, draft, version, cancellationToken);
        if (!saved.Succeeded)
        {
            // The admin's input stays; on a conflict they decide whether to save over the other change.
            var page = await PageAsync(id, version, draft, cancellationToken) with { Errors = saved.Errors, DryRunDeal = dryRunDeal };
            return View("Edit", saved.Conflict
                ? page with { Problem = L["Someone else saved this scenario meanwhile. Your input is kept: open the scenario in another tab to compare, or reload to see their version."] }
                : page);
        }

        TempData["toast"] = L["Scenario «{0}» saved.", saved.Scenario!.Name].Value;
        return Redirect("/admin/scenarios");
    }

    [HttpPost("{id:guid}/active")]
    public async Task<IActionResult> SetActive(Guid id, bool active, string? returnPipeline, CancellationToken cancellationToken)
    {
        var changed = await db.Scenarios.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.IsActive, active), cancellationToken);
        if (changed == 0)
        {
            return NotFound();
        }

        TempData["toast"] = (active ? L["The scenario is on."] : L["The scenario is off."]).Value;
        return Redirect(Guid.TryParse(returnPipeline, out var pipeline) ? $"/admin/scenarios?pipeline={pipeline}" : "/admin/scenarios");
    }

    [HttpPost("{id:guid}/delete")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        var scenario = await editor.FindAsync(id, cancellationToken);
        if (scenario is null)
        {
            return NotFound();
        }

        await editor.DeleteAsync(scenario, null, cancellationToken);
        TempData["toast"] = L["Scenario «{0}» deleted.", scenario.Name].Value;
        return Redirect("/admin/scenarios");
    }

    /// <summary>
    /// The scenario as typed, run against the chosen deal without saving. Mistakes in the form are shown as on
    /// save (a template that does not parse cannot be rendered); only a missing name does not stop a dry run.
    /// </summary>
    private async Task<ScenarioEditPage> DryRunPageAsync(Guid? id, uint? version, ScenarioDraft draft, string? dealText, CancellationToken cancellationToken)
    {
        var errors = await rules.CheckAsync(draft, cancellationToken);
        var typed = dealText?.Trim().TrimStart('№').Trim() ?? "";
        var deal = typed.Length == 0 ? null
            : Guid.TryParse(typed, out var dealId) ? await deals.FindAsync(dealId, cancellationToken)
            : await deals.FindByNumberAsync(typed, cancellationToken);
        if (!TriggerKinds.IsDealTrigger(draft.Trigger))
        {
            errors["dryRunDeal"] = L["The dry run works on a deal: this scenario's trigger is not about a deal."];
        }
        else if (deal is null)
        {
            errors["dryRunDeal"] = typed.Length == 0 ? L["Enter a deal number, e.g. 2026-00001."] : L["No deal “{0}”.", typed];
        }

        var page = await PageAsync(id, version, draft, cancellationToken) with { Errors = errors, DryRunDeal = dealText };
        if (deal is null || errors.Keys.Any(k => k != "name"))
        {
            return page;
        }

        // The secrets as they would be saved: an empty field on an edit still signs with the stored one.
        var stored = id is { } scenarioId && await editor.FindAsync(scenarioId, cancellationToken) is { } saved ? saved.Actions : [];
        var scenario = new Scenario();
        draft.ApplyTo(scenario);
        scenario.Actions = secrets.Seal(scenario.Actions, stored);
        return page with { DryRun = await dryRun.RunAsync(scenario, deal.Id, cancellationToken), DryRunDealSummary = deal };
    }

    private async Task<ScenarioEditPage> PageAsync(Guid? id, uint? version, ScenarioDraft draft, CancellationToken cancellationToken) =>
        new(id, version, draft, new Dictionary<string, string>(),
            await pipelines.ListAsync(cancellationToken),
            await users.GetActiveUsersAsync(null, cancellationToken),
            await templates.ListAsync(cancellationToken),
            pipelines.SettableFields,
            RunLogQuery.RecordKinds.ToDictionary(kind => kind, rules.ConditionFieldsOf, StringComparer.Ordinal));
}

internal sealed record ScenarioListPage(IReadOnlyList<Scenario> Scenarios, IReadOnlyList<PipelineInfo> Pipelines, Guid? PipelineFilter);

internal sealed record ScenarioEditPage(
    Guid? Id,
    uint? Version,
    ScenarioDraft Draft,
    IReadOnlyDictionary<string, string> Errors,
    IReadOnlyList<PipelineInfo> Pipelines,
    IReadOnlyList<UserSummary> Users,
    IReadOnlyList<MailTemplateText> Templates,
    IReadOnlyList<DealFieldInfo> SettableFields,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ConditionFieldsByKind)
{
    public bool IsNew => Id is null;

    /// <summary>The kind of record the draft's trigger is about (deal, lead, task).</summary>
    public string RecordKind => TriggerKinds.RecordKindOf(Draft.Trigger);

    public bool OnDeal => RecordKind == Crm.SharedKernel.Access.EntityKinds.Deal;

    /// <summary>What a condition may test for the draft's trigger.</summary>
    public IReadOnlyList<string> ConditionFields => ConditionFieldsByKind.GetValueOrDefault(RecordKind) ?? [];

    public string Action => IsNew ? "/admin/scenarios/new" : $"/admin/scenarios/{Id}/edit";

    /// <summary>A message for the whole form (someone else saved meanwhile).</summary>
    public string? Problem { get; init; }

    public string? DryRunDeal { get; init; }

    public DryRunResult? DryRun { get; init; }

    public DealSummary? DryRunDealSummary { get; init; }

    public string? Error(string key) => Errors.GetValueOrDefault(key);

    public string Invalid(string key) => Errors.ContainsKey(key) ? "is-invalid" : "";
}
