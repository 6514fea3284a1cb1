using Crm.Automation.Data;
using Crm.Automation.Domain;
using Crm.Clients.Contracts;
using Crm.Deals.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;
using Crm.Tasks.Contracts;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Crm.Automation.Running;

/// <summary>
/// Takes triggers from the modules' outboxes (deals, leads, tasks) and starts the scenarios they match: one run per (scenario, trigger),
/// recorded before anything runs, then one job per run. A batch handed over again starts nothing twice (the
/// runs already there are skipped, and a unique index backs it). Scenarios never run inside a web request.
/// A scenario without conditions has nothing to check on the deal, so its actions are recorded here, with the
/// run, and queued at once: under a burst of changes that saves a job per run (a quarter of the jobs of a
/// three-action scenario). A scenario with conditions gets a run job that checks them on the deal as it is then.
/// A run is bound to its record (kind and id, from the trigger's registry entry); a deal's run also to the deal.
/// </summary>
internal sealed class TriggerIntake(AutomationDbContext db, IBackgroundJobClient jobs, TimeProvider clock)
    : IDealTriggerSubscriber, IClientTriggerSubscriber, ITaskTriggerSubscriber
{
    /// <summary>How many scenario moves may lead one to another; deeper is taken for a loop and stopped.</summary>
    public const int MaxDepth = 5;

    public Task HandleAsync(IReadOnlyList<DealTriggered> triggers, CancellationToken cancellationToken) =>
        StartAsync(triggers.Select(t => new Trigger(t.EventId, t.Kind, EntityKinds.Deal, t.DealId, t.PipelineId, t.StageId, t.ActorId, t.Depth, t.OccurredAt)).ToList(), cancellationToken);

    public Task HandleAsync(IReadOnlyList<ClientTriggered> triggers, CancellationToken cancellationToken) =>
        StartAsync(triggers.Select(t => new Trigger(t.EventId, t.Kind, t.RecordKind, t.RecordId, Guid.Empty, Guid.Empty, t.ActorId, 0, t.OccurredAt)).ToList(), cancellationToken);

    public Task HandleAsync(IReadOnlyList<TaskTriggered> triggers, CancellationToken cancellationToken) =>
        StartAsync(triggers.Select(t => new Trigger(t.EventId, t.Kind, EntityKinds.Task, t.TaskId, Guid.Empty, Guid.Empty, null, 0, t.OccurredAt)).ToList(), cancellationToken);

    /// <summary>A trigger of any module, as the intake reads it: pipeline and stage are a deal's only (empty for others).</summary>
    private sealed record Trigger(
        Guid EventId, string Kind, string RecordKind, Guid RecordId, Guid PipelineId, Guid StageId, Guid? ActorId, int Depth, DateTimeOffset OccurredAt)
    {
        public bool IsDeal => RecordKind == EntityKinds.Deal;

        public bool Starts(Scenario scenario) =>
            IsDeal ? scenario.Matches(Kind, PipelineId, StageId) : scenario.Matches(Kind);
    }

    private async Task StartAsync(List<Trigger> triggers, CancellationToken cancellationToken)
    {
        var kinds = triggers.Select(t => t.Kind).Distinct().ToArray();
        var scenarios = await db.Scenarios.AsNoTracking().Where(s => s.IsActive && kinds.Contains(s.Trigger)).ToListAsync(cancellationToken);
        if (scenarios.Count == 0)
        {
            return;
        }

        var eventIds = triggers.Select(t => t.EventId).ToArray();
        var started = (await db.Runs.AsNoTracking().Where(r => eventIds.Contains(r.EventId)).Select(r => new { r.ScenarioId, r.EventId }).ToListAsync(cancellationToken))
            .Select(r => (r.ScenarioId, r.EventId))
            .ToHashSet();
        var now = clock.GetUtcNow();
        var runs = new List<ScenarioRun>();
        var actions = new List<ActionRun>();
        foreach (var trigger in triggers)
        {
            foreach (var scenario in scenarios.Where(s => trigger.Starts(s) && !started.Contains((s.Id, trigger.EventId))))
            {
                var tooDeep = trigger.Depth > MaxDepth;
                var run = new ScenarioRun
                {
                    Id = Guid.CreateVersion7(),
                    ScenarioId = scenario.Id,
                    ScenarioName = scenario.Name,
                    EventId = trigger.EventId,
                    Trigger = trigger.Kind,
                    RecordKind = trigger.RecordKind,
                    RecordId = trigger.RecordId,
                    DealId = trigger.IsDeal ? trigger.RecordId : null,
                    StageId = trigger.StageId,
                    Depth = trigger.Depth,
                    ActorId = trigger.ActorId,
                    Status = tooDeep ? RunStates.Skipped : RunStates.Queued,
                    Note = tooDeep ? new StoredText(TextKey.Of("Stopped: {0} scenario moves in a row (more than {1}); a loop of scenarios?"), trigger.Depth, MaxDepth).Store() : null,
                    TriggeredAt = trigger.OccurredAt,
                    CreatedAt = now,
                    FinishedAt = tooDeep ? now : null,
                };
                runs.Add(run);
                if (!tooDeep && scenario.Conditions.Count == 0)
                {
                    var recorded = ScenarioRunner.RecordActions(run, scenario, [], now).ToList();
                    run.Status = recorded.Count > 0 ? RunStates.Running : RunStates.Succeeded;
                    run.FinishedAt = recorded.Count > 0 ? null : now;
                    actions.AddRange(recorded);
                }
            }
        }

        db.Runs.AddRange(runs);
        db.ActionRuns.AddRange(actions);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var run in runs.Where(r => r.Status == RunStates.Queued))
        {
            jobs.Enqueue<ScenarioRunner>(runner => runner.RunAsync(run.Id, CancellationToken.None));
        }

        foreach (var action in actions)
        {
            ActionRunner.Queue(jobs, action, now);
        }
    }
}
