using Crm.Deals.Access;
using Crm.Deals.Contracts;
using Crm.Deals.Data;
using Crm.Deals.Pipelines;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Crm.Deals.Outbox;

/// <summary>
/// Every few minutes: deals that became stalled (longer in an open stage than its time limit) get the "deal
/// stalled" trigger once per episode. The episode is the stay in the stage: the stay is marked in the same
/// transaction as the trigger's outbox row, so later sweeps pass it by, and a deal that moves and stalls
/// again starts a new episode. What happens then (notify the owner and the head, set a follow-up task) is
/// the scenarios' business.
/// Two sweeps must not mark the same stay twice, so each batch runs in a transaction holding a PostgreSQL
/// advisory lock; a second sweep finding it taken stops. Unlike Hangfire's lock rows, the advisory lock dies with
/// the transaction, so a killed process never leaves it behind (ADR 0017).
/// </summary>
internal sealed class StalledSweep(DealsDbContext db, PipelineCatalog catalog, DealOutbox outbox, TimeProvider clock)
{
    public const string JobId = "deals:stalled";

    private const int BatchSize = 500;

    /// <summary>
    /// At most this many episodes per run (the job runs every five minutes). A stall is a matter of days, so a
    /// backlog (a stage's time limit shortened, a big import of old deals) may take a while to be raised; what
    /// must not happen is one run raising ten thousand episodes at once, whose follow-up tasks and
    /// notifications would keep every Hangfire worker busy for minutes while reminders and scenarios wait.
    /// </summary>
    public const int MaxPerRun = 1_000;

    /// <summary>Any constant unique among the app's advisory locks (the migration lock is another).</summary>
    private const long SweepLockKey = 0x5354_414C_4C45_44; // "STALLED"

    [AutomaticRetry(Attempts = 1)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stalled = db.Deals.Where(d => d.DeletedAt == null).Where(DealFilters.StalledIn(await catalog.PipelinesAsync(cancellationToken), now));
        for (var raised = 0; raised < MaxPerRun && !cancellationToken.IsCancellationRequested;)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var mine = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({SweepLockKey}) AS \"Value\"").SingleAsync(cancellationToken);
            if (!mine)
            {
                return;
            }

            var batch = await (
                    from deal in stalled
                    join stay in db.StageHistory on deal.Id equals stay.DealId
                    where stay.LeftAt == null && stay.StalledAt == null
                    select new { Deal = deal, Stay = stay })
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return;
            }

            foreach (var row in batch)
            {
                row.Stay.StalledAt = now;
                outbox.Add(row.Deal, DealTriggerKinds.Stalled, "sweep");
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            outbox.Kick();
            raised += batch.Count;
        }
    }
}
