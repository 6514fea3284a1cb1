using Crm.Automation.Data;
using Crm.Automation.Domain;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Crm.Automation.Running;

/// <summary>
/// One action's job. It claims the action (a version-checked status change), does the effect with the action's
/// idempotency key (the effect's owner keeps the key under a unique constraint, so doing it again changes
/// nothing), and records what came of it. A failure is retried with exponential back-off (10 s, 20 s, 40 s…)
/// up to <see cref="MaxAttempts"/>, then stays failed until an admin retries it. A delayed action on a stage
/// trigger runs only if the deal is still in that stage.
/// </summary>
internal sealed class ActionRunner(
    AutomationDbContext db,
    ActionEffects effects,
    IUserDirectory users,
    IBackgroundJobClient jobs,
    RunTimeline timeline,
    TimeProvider clock,
    ILogger<ActionRunner> logger)
{
    public const int MaxAttempts = 5;

    /// <summary>The lengths of the outcome and error columns (stored texts are shortened to fit, keeping their form).</summary>
    public const int OutcomeLength = 2000;

    public const int ErrorLength = 4000;

    /// <summary>Queues the action's job now, or for its due moment.</summary>
    public static void Queue(IBackgroundJobClient jobs, ActionRun action, DateTimeOffset now)
    {
        if (action.DueAt > now.AddSeconds(1))
        {
            jobs.Schedule<ActionRunner>(runner => runner.RunAsync(action.Id, CancellationToken.None), action.DueAt);
        }
        else
        {
            jobs.Enqueue<ActionRunner>(runner => runner.RunAsync(action.Id, CancellationToken.None));
        }
    }

    // Retries are this class's business (the back-off is visible in the run log), not Hangfire's.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid actionRunId, CancellationToken cancellationToken)
    {
        var action = await db.ActionRuns.SingleOrDefaultAsync(a => a.Id == actionRunId, cancellationToken);
        var now = clock.GetUtcNow();
        if (action is null || action.Status is RunStates.Succeeded or RunStates.Skipped or RunStates.Failed || action.DueAt > now.AddSeconds(1))
        {
            return;
        }

        var run = await db.Runs.SingleAsync(r => r.Id == action.RunId, cancellationToken);
        var scenario = await db.Scenarios.AsNoTracking().SingleOrDefaultAsync(s => s.Id == run.ScenarioId, cancellationToken);
        action.Status = RunStates.Running;
        action.Attempts++;
        action.StartedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another worker claimed it at the same moment; that one does it.
            return;
        }

        var actingUser = await users.FindUserAsync(scenario?.RunAsUserId ?? Guid.Empty, cancellationToken);
        try
        {
            if (actingUser is null)
            {
                throw new ActionFailedException(TextKey.Of("The scenario's user no longer exists: save the scenario again."));
            }

            using (ActingUser.As(actingUser.Id, actingUser.FullName))
            {
                var outcome = await effects.DoAsync(action, run, cancellationToken);
                action.Status = outcome.Skipped ? RunStates.Skipped : RunStates.Succeeded;
                action.Outcome = outcome.Text.Store(OutcomeLength);
                action.Error = null;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Scenario action {Key} ({Kind}) failed, attempt {Attempt}", action.Key, action.Kind, action.Attempts);
            // An unexpected exception's message is from outside: kept as it is, as an argument.
            action.Error = (exception is ActionFailedException failed ? failed.Text : new StoredText(TextKey.Of("{0}: {1}"), exception.GetType().Name, exception.Message)).Store(ErrorLength);
            if (action.Attempts < MaxAttempts)
            {
                action.Status = RunStates.Retrying;
                action.DueAt = clock.GetUtcNow().Add(Backoff(action.Attempts));
            }
            else
            {
                action.Status = RunStates.Failed;
            }
        }

        action.FinishedAt = clock.GetUtcNow();
        db.ChangeTracker.Entries().Where(e => e.Entity is not ActionRun and not ScenarioRun).ToList().ForEach(e => e.State = EntityState.Detached);
        await db.SaveChangesAsync(cancellationToken);
        if (action.Status == RunStates.Retrying)
        {
            Queue(jobs, action, clock.GetUtcNow());
        }
        else
        {
            // Finished for good: a line on the deal's timeline (best effort, the state above is saved).
            await timeline.TellAsync(run, action, actingUser, cancellationToken);
        }

        await FinishRunAsync(run, cancellationToken);
    }

    /// <summary>
    /// An admin's retry of a failed action: it starts over with its attempts (and its key, so nothing is done twice).
    /// False when it is not failed (any more): two admins retrying at once both read "failed", and the second save
    /// meets the first one's version; that one queued it, so the second is told it is no longer failed.
    /// </summary>
    public async Task<bool> RetryAsync(Guid actionRunId, CancellationToken cancellationToken)
    {
        var action = await db.ActionRuns.SingleOrDefaultAsync(a => a.Id == actionRunId, cancellationToken);
        if (action is null || action.Status != RunStates.Failed)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        action.Status = RunStates.Queued;
        action.Attempts = 0;
        action.DueAt = now;
        var run = await db.Runs.SingleAsync(r => r.Id == action.RunId, cancellationToken);
        run.Status = RunStates.Running;
        run.FinishedAt = null;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else retried it (or its job ran) since it was read: nothing of ours was saved.
            db.ChangeTracker.Clear();
            return false;
        }

        Queue(jobs, action, now);
        return true;
    }

    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(10 * Math.Pow(2, Math.Max(0, attempts - 1)));

    /// <summary>The run is done when all its actions are: failed if any failed.</summary>
    private async Task FinishRunAsync(ScenarioRun run, CancellationToken cancellationToken)
    {
        var states = await db.ActionRuns.Where(a => a.RunId == run.Id).Select(a => a.Status).ToListAsync(cancellationToken);
        if (states.Any(s => s is RunStates.Queued or RunStates.Running or RunStates.Retrying))
        {
            return;
        }

        run.Status = states.Contains(RunStates.Failed) ? RunStates.Failed : RunStates.Succeeded;
        run.FinishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

}

/// <summary>An action that cannot be done, with the reason for the run log (a key with its arguments, translated where shown).</summary>
internal sealed class ActionFailedException(StoredText text) : Exception(text.Key)
{
    public ActionFailedException(string key, params object?[] args)
        : this(new StoredText(key, args))
    {
    }

    public StoredText Text { get; } = text;
}

/// <summary>What an action came to: done (with what it did), or skipped with the reason.</summary>
internal sealed record ActionOutcome(StoredText Text, bool Skipped = false);
