using System.Globalization;
using Crm.Automation.Domain;
using Crm.Clients.Contracts;
using Crm.Deals.Contracts;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace Crm.Automation.Running;

/// <summary>
/// One line on the deal's timeline per finished action (succeeded, skipped or failed for good; not each
/// retry): "Scenario «Call after the proposal»: task set", or "… failed" with the error. A line per action,
/// not per run, because actions finish at different moments (a delay, a retry an admin starts days later)
/// and each is what a manager reads on the card. The text is the error of a failure and a webhook's answer
/// (a task, a move, a field change write their own lines). The subject and text are stored texts (English keys
/// with their arguments, <see cref="StoredText"/>) of this module's strings, registered as a
/// <see cref="DealTimelineKind"/>: the card shows them in its reader's language. Written as the scenario's
/// acting user, in a scope of its own: the job's scope may hold a deal change that failed, which must not be
/// saved with the line. Best effort: the action's state is already saved, so a failure here is logged, never
/// the action's.
/// A deal's run writes on the deal's timeline, a lead's on the lead's (<see cref="IClientTimeline"/>): client
/// timelines show text as written, so a lead's line is rendered in the company's language. A task's run writes
/// nowhere: a task has no timeline, and its actions' own effects (a task set on the linked record, a mail)
/// write their own lines there.
/// </summary>
internal sealed class RunTimeline(IServiceScopeFactory scopes, IStringLocalizer<AutomationStrings> strings, ILogger<RunTimeline> logger)
{
    public const string Kind = "scenario";

    public async Task TellAsync(ScenarioRun run, ActionRun action, UserSummary? actingUser, CancellationToken cancellationToken)
    {
        if (action.Status is not (RunStates.Succeeded or RunStates.Skipped or RunStates.Failed) || (run.DealId is null && run.RecordKind != EntityKinds.Lead))
        {
            return;
        }

        using var acting = actingUser is null ? null : ActingUser.As(actingUser.Id, actingUser.FullName);
        try
        {
            var (subject, text) = action.Status switch
            {
                // A webhook's answer (code, time) is on no other record; a task, a move or a field change has its own line.
                RunStates.Succeeded => (
                    new StoredText(TextKey.Of("Scenario «{0}»: {1}"), run.ScenarioName, new StoredText(RunTexts.Done(action.Kind))),
                    action.Kind == ActionKinds.Webhook ? action.Outcome : null),
                RunStates.Skipped => (
                    new StoredText(TextKey.Of("Scenario «{0}»: action «{1}» skipped"), run.ScenarioName, new StoredText(RunTexts.Kind(action.Kind))),
                    action.Outcome),
                _ => (
                    new StoredText(TextKey.Of("Scenario «{0}»: action «{1}» failed"), run.ScenarioName, new StoredText(RunTexts.Kind(action.Kind))),
                    action.Error),
            };
            await using var scope = scopes.CreateAsyncScope();
            if (run.DealId is { } dealId)
            {
                await scope.ServiceProvider.GetRequiredService<IDealTimeline>().WriteAsync(new DealTimelineWrite(dealId, Kind, subject.Store(), text), cancellationToken);
            }
            else
            {
                var (written, writtenText) = InCompanyLanguage(() => (subject.Render(strings), text is null ? null : StoredText.Render(strings, text)));
                await scope.ServiceProvider.GetRequiredService<IClientTimeline>().WriteAsync(
                    new TimelineWrite(ClientKind.Lead, run.RecordId, Kind, written, writtenText, actingUser?.Id), cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "The timeline of {RecordKind} {RecordId} was not told of scenario action {Key}", run.RecordKind, run.RecordId, action.Key);
        }
    }

    private static T InCompanyLanguage<T>(Func<T> render)
    {
        var (culture, formatting) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(CrmCultures.Default);
            CultureInfo.CurrentCulture = CrmCultures.Formatting(CrmCultures.Default);
            return render();
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
            CultureInfo.CurrentCulture = formatting;
        }
    }
}

/// <summary>The run log's words for states, triggers and action kinds (English keys, translated where shown).</summary>
internal static class RunTexts
{
    public static string State(string state) => state switch
    {
        RunStates.Queued => TextKey.Of("Queued"),
        RunStates.Running => TextKey.Of("Running"),
        RunStates.Succeeded => TextKey.Of("Succeeded"),
        RunStates.Failed => TextKey.Of("Failed"),
        RunStates.Retrying => TextKey.Of("Retrying"),
        RunStates.Skipped => TextKey.Of("Skipped"),
        _ => state,
    };

    /// <summary>The badge's Bootstrap colour: green done, red failed, amber retrying, blue under way, grey waiting or skipped.</summary>
    public static string Badge(string state) => state switch
    {
        RunStates.Succeeded => "text-bg-success",
        RunStates.Failed => "text-bg-danger",
        RunStates.Retrying => "text-bg-warning",
        RunStates.Running => "text-bg-primary",
        RunStates.Skipped => "text-bg-light border",
        _ => "text-bg-secondary",
    };

    public static string Trigger(string trigger) => TriggerKinds.Find(trigger)?.LogLabel ?? trigger;

    /// <summary>A run's record kind, for the log's link to its card.</summary>
    public static string Record(string recordKind) => recordKind switch
    {
        Crm.SharedKernel.Access.EntityKinds.Deal => TextKey.Of("Deal"),
        Crm.SharedKernel.Access.EntityKinds.Lead => TextKey.Of("Lead"),
        Crm.SharedKernel.Access.EntityKinds.Task => TextKey.Of("Task"),
        _ => recordKind,
    };

    public static string Kind(string kind) => kind switch
    {
        ActionKinds.CreateTask => TextKey.Of("Create a task"),
        ActionKinds.Notify => TextKey.Of("Notify"),
        ActionKinds.SetField => TextKey.Of("Set a field"),
        ActionKinds.MoveStage => TextKey.Of("Move to a stage"),
        ActionKinds.Webhook => TextKey.Of("Call a webhook"),
        ActionKinds.SendMail => TextKey.Of("Send an e-mail"),
        _ => kind,
    };

    /// <summary>What a succeeded action did, for the deal's timeline.</summary>
    public static string Done(string kind) => kind switch
    {
        ActionKinds.CreateTask => TextKey.Of("task set"),
        ActionKinds.Notify => TextKey.Of("notification sent"),
        ActionKinds.SetField => TextKey.Of("field set"),
        ActionKinds.MoveStage => TextKey.Of("deal moved"),
        ActionKinds.Webhook => TextKey.Of("webhook called"),
        ActionKinds.SendMail => TextKey.Of("e-mail queued"),
        _ => kind,
    };
}
