using Crm.Automation.Data;
using Crm.Automation.Domain;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Crm.Automation.Running;

/// <summary>
/// Every minute, queues again what a crash left behind: runs recorded but never started or never finished,
/// actions due but not queued, and actions left "running" by a process that died. Queuing twice is harmless: the run records its
/// actions once, and an action's effect is keyed.
/// </summary>
internal sealed class AutomationPump(AutomationDbContext db, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string JobId = "automation:pump";

    /// <summary>Long enough for a queued job to start and for the slowest action (a 10 s webhook) to finish.</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(30);

    [AutomaticRetry(Attempts = 0)]
    public async Task PumpAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var before = now - Stale;
        // Runs never started, and runs still "running" though none of their actions is left (a crash came between
        // the last action's save and the run's finish). Not runs waiting for a delayed or retried action: those
        // actions are pumped below, and the run finishes with its last one.
        var runs = await db.Runs.AsNoTracking()
            .Where(r => r.CreatedAt < before
                && (r.Status == RunStates.Queued
                    || (r.Status == RunStates.Running && !db.ActionRuns.Any(a => a.RunId == r.Id
                        && (a.Status == RunStates.Queued || a.Status == RunStates.Running || a.Status == RunStates.Retrying)))))
            .OrderBy(r => r.CreatedAt).Select(r => r.Id).Take(1000).ToListAsync(cancellationToken);
        foreach (var run in runs)
        {
            jobs.Enqueue<ScenarioRunner>(runner => runner.RunAsync(run, CancellationToken.None));
        }

        var actions = await db.ActionRuns.AsNoTracking()
            .Where(a => ((a.Status == RunStates.Queued || a.Status == RunStates.Retrying) && a.DueAt < before)
                || (a.Status == RunStates.Running && a.StartedAt < before))
            .OrderBy(a => a.DueAt).Take(1000).ToListAsync(cancellationToken);
        foreach (var action in actions)
        {
            ActionRunner.Queue(jobs, action, now);
        }
    }
}
