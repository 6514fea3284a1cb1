using System.Globalization;
using Crm.Automation.Data;
using Crm.Automation.Domain;
using Crm.Automation.Areas.Automation.Features.Scenarios;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;
using Crm.SharedKernel.Templates;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Crm.Automation.Running;

/// <summary>
/// A run's job: checks the scenario's conditions against the deal as it is now, then records the run's actions
/// (each with its idempotency key and due moment) and queues one job per action. Running it twice records
/// nothing twice: the actions are keyed by (run, position); a run whose actions are all done is finished.
/// </summary>
internal sealed class ScenarioRunner(AutomationDbContext db, IEnumerable<IPlaceholderSource> sources, IBackgroundJobClient jobs, TimeProvider clock)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.Status is not (RunStates.Queued or RunStates.Running))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var scenario = await db.Scenarios.AsNoTracking().SingleOrDefaultAsync(s => s.Id == run.ScenarioId, cancellationToken);
        var model = await ModelAsync(sources, run.RecordKind, run.RecordId, cancellationToken);
        // Kept as keys with arguments (the operator's words too), shown in the reader's language.
        var refusal = scenario is null ? new StoredText(TextKey.Of("The scenario was deleted."))
            : model is null ? new StoredText(run.DealId is null ? TextKey.Of("The record was deleted.") : TextKey.Of("The deal was deleted."))
            : Conditions.FirstFailing(scenario.Conditions, model) is { } failing
                ? new StoredText(TextKey.Of("Condition not met: {0} {1} {2}"), failing.Field, new StoredText(ScenarioTexts.Operator(failing.Operator)), failing.Value ?? "")
            : null;
        if (refusal is not null)
        {
            run.Status = RunStates.Skipped;
            run.Note = refusal.Store(ScenarioRun.NoteLength);
            run.FinishedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        var recorded = await db.ActionRuns.Where(a => a.RunId == run.Id).ToListAsync(cancellationToken);
        foreach (var added in RecordActions(run, scenario!, recorded, now))
        {
            db.ActionRuns.Add(added);
            recorded.Add(added);
        }

        // All actions already done: a crash came between the last action's save and the run's finish, and the
        // pump brought the run here again. Finish it now, or it stays "running" and is pumped every minute.
        var finished = recorded.All(a => a.Status is RunStates.Succeeded or RunStates.Failed or RunStates.Skipped);
        run.Status = !finished ? RunStates.Running : recorded.Any(a => a.Status == RunStates.Failed) ? RunStates.Failed : RunStates.Succeeded;
        run.FinishedAt = finished ? now : null;
        await db.SaveChangesAsync(cancellationToken);
        foreach (var action in recorded.Where(a => a.Status == RunStates.Queued))
        {
            ActionRunner.Queue(jobs, action, now);
        }
    }

    /// <summary>The scenario's actions not yet recorded for the run, each with its key and due moment.</summary>
    public static IEnumerable<ActionRun> RecordActions(ScenarioRun run, Scenario scenario, IReadOnlyCollection<ActionRun> recorded, DateTimeOffset now)
    {
        for (var position = 0; position < scenario.Actions.Count; position++)
        {
            if (recorded.Any(a => a.Position == position))
            {
                continue;
            }

            var action = scenario.Actions[position];
            yield return new ActionRun
            {
                Id = Guid.CreateVersion7(),
                RunId = run.Id,
                RecordKind = run.RecordKind,
                RecordId = run.RecordId,
                DealId = run.DealId,
                Position = position,
                Key = ActionKey(run.Id, position),
                Kind = action.Kind,
                Definition = action,
                Status = RunStates.Queued,
                DueAt = now.AddMinutes(Math.Max(0, action.DelayMinutes)),
            };
        }
    }

    public static string ActionKey(Guid runId, int position) => string.Create(CultureInfo.InvariantCulture, $"{runId}:{position}");

    /// <summary>The deal's placeholders (deal, client, contact, owner), read without an access check: a scenario runs for the company.</summary>
    public static Task<PlaceholderModel?> DealModelAsync(IEnumerable<IPlaceholderSource> sources, Guid dealId, CancellationToken cancellationToken) =>
        ModelAsync(sources, EntityKinds.Deal, dealId, cancellationToken);

    /// <summary>
    /// The run's record's placeholders from the module that owns the kind (a deal's; a lead's: lead, client, owner;
    /// a task's: task, owner = assignee, and its linked record's), or null when the record is gone.
    /// </summary>
    public static async Task<PlaceholderModel?> ModelAsync(IEnumerable<IPlaceholderSource> sources, string recordKind, Guid recordId, CancellationToken cancellationToken) =>
        sources.FirstOrDefault(s => s.Kind == recordKind) is { } source ? await source.ModelAsync(recordId, cancellationToken) : null;
}
