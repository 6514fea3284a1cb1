using System.Globalization;
using Crm.Automation.Domain;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Templates;

namespace Crm.Automation.Running;

/// <summary>What one action would do, or why it would not run, in words for the admin.</summary>
internal sealed record DryRunLine(int Position, string Kind, bool WouldRun, string Text);

/// <summary>What a whole scenario would do for a deal: whether its conditions hold, and each action's line.</summary>
internal sealed record DryRunResult(bool DealFound, string? FailedCondition, IReadOnlyList<DryRunLine> Actions);

/// <summary>
/// A scenario against a chosen deal, changing nothing: the conditions are checked and each action's texts
/// rendered, its assignee or recipients resolved, its due moment computed — what the run would do, in words.
/// The same pieces the real run uses (conditions, templates, recipient rules, due offsets), so the two agree.
/// </summary>
internal sealed class DryRun(IEnumerable<IPlaceholderSource> sources, IUserDirectory users, TimeProvider clock)
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

        return new DryRunResult(true, failing is null ? null : $"{failing.Field} {failing.Operator} {failing.Value}", lines);
    }

    private async Task<string> DescribeAsync(ScenarioAction action, PlaceholderModel model, CancellationToken cancellationToken)
    {
        var culture = CultureInfo.CurrentCulture;
        var delay = action.DelayMinutes > 0 ? $" (after {action.DelayMinutes} min, if still in the stage)" : "";
        var text = await TemplateText.RenderTextAsync(action.Text, model, culture);
        switch (action.Kind)
        {
            case ActionKinds.CreateTask:
                var (due, allDay) = DueOffset.Resolve(action.DueOffset, clock.GetUtcNow(), ActionEffects.CompanyZone);
                var local = TimeZoneInfo.ConvertTime(due, ActionEffects.CompanyZone);
                return $"Task ({action.TaskKind ?? "call"}) «{text}» for {await NamesAsync(action, model, cancellationToken)}, due {local.ToString(allDay ? "d" : "g", culture)}{delay}";
            case ActionKinds.Notify:
                return $"Notify {await NamesAsync(action, model, cancellationToken)}: «{text}»{delay}";
            case ActionKinds.SetField:
                return $"Set {action.Field} to «{await TemplateText.RenderTextAsync(action.Value, model, culture)}»{delay}";
            case ActionKinds.MoveStage:
                return $"Move the deal to stage {action.StageId}{delay}";
            case ActionKinds.Webhook:
                return $"POST the deal's event to {action.Url}{(string.IsNullOrEmpty(action.Secret) ? "" : ", signed")}{delay}";
            case ActionKinds.SendMail:
                return $"Send template {action.TemplateId} to {action.MailTo ?? "contact"}{delay}";
            default:
                return action.Kind;
        }
    }

    private async Task<string> NamesAsync(ScenarioAction action, PlaceholderModel model, CancellationToken cancellationToken)
    {
        var ids = await Recipients.ResolveAsync(action, model, users, cancellationToken);
        if (ids.Count == 0)
        {
            return "nobody (the rule finds no user)";
        }

        var found = await users.GetUsersAsync(ids, cancellationToken);
        return string.Join(", ", ids.Select(id => found.TryGetValue(id, out var user) ? user.FullName : id.ToString()));
    }
}
