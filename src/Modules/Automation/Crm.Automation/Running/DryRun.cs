using System.Globalization;
using Crm.Automation.Areas.Automation.Features.Scenarios;
using Crm.Automation.Domain;
using Crm.Deals.Contracts;
using Crm.Identity.Contracts;
using Crm.Mail.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Templates;
using Microsoft.Extensions.Localization;

namespace Crm.Automation.Running;

/// <summary>What one action would do, or why it would not run, in words for the admin.</summary>
internal sealed record DryRunLine(int Position, string Kind, bool WouldRun, string Text);

/// <summary>What a whole scenario would do for a deal: whether its conditions hold, and each action's line.</summary>
internal sealed record DryRunResult(bool DealFound, string? FailedCondition, IReadOnlyList<DryRunLine> Actions);

/// <summary>
/// A scenario against a chosen deal, changing nothing: the conditions are checked and each action's texts
/// rendered, its assignee or recipients resolved, its due moment computed — what the run would do, in words.
/// The same pieces the real run uses (conditions, templates, recipient rules, due offsets), so the two agree.
/// The lines are in the admin's language, with the names of stages and mail templates rather than their ids.
/// </summary>
internal sealed class DryRun(
    IEnumerable<IPlaceholderSource> sources,
    IUserDirectory users,
    IPipelineDirectory pipelines,
    IMailTemplates templates,
    TimeProvider clock,
    ICurrentUser currentUser,
    IStringLocalizer<AutomationStrings> L)
{
    public async Task<DryRunResult> RunAsync(Scenario scenario, Guid dealId, CancellationToken cancellationToken)
    {
        var model = await ScenarioRunner.DealModelAsync(sources, dealId, cancellationToken);
        if (model is null)
        {
            return new DryRunResult(false, null, []);
        }

        var failing = Conditions.FirstFailing(scenario.Conditions, model);
        var lines = new List<DryRunLine>();
        for (var position = 0; position < scenario.Actions.Count; position++)
        {
            var action = scenario.Actions[position];
            lines.Add(new DryRunLine(position, action.Kind, failing is null, await DescribeAsync(action, model, cancellationToken)));
        }

        return new DryRunResult(true, failing is null ? null : $"{failing.Field} {L[ScenarioTexts.Operator(failing.Operator)]} {failing.Value}".TrimEnd(), lines);
    }

    private async Task<string> DescribeAsync(ScenarioAction action, PlaceholderModel model, CancellationToken cancellationToken)
    {
        var culture = CultureInfo.CurrentCulture;
        var delay = action.DelayMinutes > 0 ? $" ({L["after {0} min, if still in the stage", action.DelayMinutes]})" : "";
        var text = await TemplateText.RenderTextAsync(action.Text, model, culture);
        switch (action.Kind)
        {
            case ActionKinds.CreateTask:
                // Due where the assignee works, shown in the zone of the admin who looks.
                var assignee = await Recipients.ResolveAsync(action, model, users, cancellationToken) is [var first, ..] ? first : Guid.Empty;
                var assigneeZone = await ActionEffects.AssigneeZoneAsync(users, assignee, cancellationToken);
                var (due, allDay) = DueOffset.Resolve(action.DueOffset, clock.GetUtcNow(), assigneeZone);
                var local = TimeZoneInfo.ConvertTime(due, allDay ? assigneeZone : currentUser.TimeZone);
                return L["Task ({0}) «{1}» for {2}, due {3}", L[ScenarioTexts.TaskKind(action.TaskKind ?? "call")], text, await NamesAsync(action, model, cancellationToken), local.ToString(allDay ? "d" : "g", culture)] + delay;
            case ActionKinds.Notify:
                return L["Notify {0}: «{1}»", await NamesAsync(action, model, cancellationToken), text] + delay;
            case ActionKinds.SetField:
                return L["Set {0} to «{1}»", action.Field ?? "", await TemplateText.RenderTextAsync(action.Value, model, culture)] + delay;
            case ActionKinds.MoveStage:
                var stage = (await pipelines.ListAsync(cancellationToken)).SelectMany(p => p.Stages).FirstOrDefault(s => s.Id == action.StageId);
                return L["Move the deal to stage «{0}»", stage?.Name ?? L["a deleted stage"]] + delay;
            case ActionKinds.Webhook:
                return (string.IsNullOrEmpty(action.Secret) && action.SecretCipher is null ? L["POST the deal's event to {0}", action.Url ?? ""] : L["POST the deal's event to {0}, signed", action.Url ?? ""]) + delay;
            case ActionKinds.SendMail:
                var template = action.TemplateId is { } templateId ? await templates.FindAsync(templateId, cancellationToken) : null;
                var to = action.MailTo ?? "contact";
                var address = to switch
                {
                    "contact" => Conditions.Value(model, "contact.email"),
                    "owner" => Conditions.Value(model, "owner.email"),
                    _ => to,
                };
                return L["Send «{0}» to {1}", template?.Name ?? L["a deleted template"], string.IsNullOrEmpty(address) ? L["nobody ({0} has no e-mail address)", to] : address] + delay;
            default:
                return action.Kind;
        }
    }

    private async Task<string> NamesAsync(ScenarioAction action, PlaceholderModel model, CancellationToken cancellationToken)
    {
        var ids = await Recipients.ResolveAsync(action, model, users, cancellationToken);
        if (ids.Count == 0)
        {
            return L["nobody (the rule finds no user)"];
        }

        var found = await users.GetUsersAsync(ids, cancellationToken);
        return string.Join(", ", ids.Select(id => found.TryGetValue(id, out var user) ? user.FullName : id.ToString()));
    }
}
