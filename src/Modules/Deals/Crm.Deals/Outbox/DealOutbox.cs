using Crm.Deals.Contracts;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Hosting;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Crm.Deals.Outbox;

/// <summary>
/// The deal triggers scenarios start on. <see cref="Add"/> puts a trigger into the change's own unit of work
/// (saved in the same transaction, or not at all); <see cref="Kick"/>, after the commit, asks for the drain
/// at once, and the every-minute "deals:outbox" run catches anything a crash left between the two.
/// </summary>
internal sealed class DealOutbox(DealsDbContext db, ICurrentUser currentUser, IBackgroundJobClient jobs, TimeProvider clock)
{
    public void Add(Deal deal, string kind, string channel, int depth = 0) =>
        db.Outbox.Add(new DealOutboxMessage
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            DealId = deal.Id,
            PipelineId = deal.PipelineId,
            StageId = deal.StageId,
            ActorId = currentUser.IsAuthenticated ? currentUser.Id : null,
            Depth = depth,
            Channel = channel,
            OccurredAt = clock.GetUtcNow(),
        });

    /// <summary>The triggers of a move into <paramref name="target"/>: entered, and won or lost when it closes the deal.</summary>
    public void AddMove(Deal deal, Stage target, string channel, int depth)
    {
        Add(deal, DealTriggerKinds.StageEntered, channel, depth);
        if (target.Kind == StageKind.Won)
        {
            Add(deal, DealTriggerKinds.Won, channel, depth);
        }
        else if (target.Kind == StageKind.Lost)
        {
            Add(deal, DealTriggerKinds.Lost, channel, depth);
        }
    }

    /// <summary>Asks for a drain now, unless one asked for moments ago has not started yet (<see cref="DrainRequests"/>).</summary>
    public void Kick()
    {
        if (Requests.ShouldAsk())
        {
            jobs.Enqueue<DealOutboxDrain>(drain => drain.DrainAsync(CancellationToken.None));
        }
    }

    /// <summary>This outbox's drain requests in this process; the drain marks itself started.</summary>
    public static readonly DrainRequests Requests = new();
}

/// <summary>
/// Hands waiting triggers to the subscribers, a batch at a time, oldest first. Rows are locked with
/// <c>FOR UPDATE SKIP LOCKED</c>, so drains running together share the work instead of repeating it; a batch is
/// marked processed only after every subscriber took it (a failure leaves it for the next drain, and
/// subscribers dedup by event id).
/// </summary>
internal sealed class DealOutboxDrain(DealsDbContext db, IEnumerable<IDealTriggerSubscriber> subscribers, TimeProvider clock, ILogger<DealOutboxDrain> logger)
{
    public const string JobId = "deals:outbox";

    private const int BatchSize = 200;

    [AutomaticRetry(Attempts = 3)]
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        DealOutbox.Requests.Started();
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var batch = await db.Outbox
                .FromSql($"SELECT * FROM deals.outbox WHERE processed_at IS NULL ORDER BY occurred_at, id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return;
            }

            var triggers = batch
                .Select(m => new DealTriggered(m.Id, m.Kind, m.DealId, m.PipelineId, m.StageId, m.ActorId, m.Depth, m.OccurredAt, m.Channel))
                .ToList();
            foreach (var subscriber in subscribers)
            {
                await subscriber.HandleAsync(triggers, cancellationToken);
            }

            var now = clock.GetUtcNow();
            foreach (var message in batch)
            {
                message.ProcessedAt = now;
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogDebug("Handed {Count} deal triggers to {Subscribers} subscribers", batch.Count, subscribers.Count());
        }
    }
}
