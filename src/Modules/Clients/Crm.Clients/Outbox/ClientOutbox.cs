using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Hosting;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Crm.Clients.Outbox;

/// <summary>
/// A client trigger waiting to be handed to its subscribers ("lead created"): written in the transaction of the
/// change it tells of, marked processed once every subscriber took it (ARCHITECTURE.md rule 5).
/// </summary>
internal sealed class ClientOutboxMessage
{
    public Guid Id { get; set; }

    public string Kind { get; set; } = "";

    /// <summary>"lead", "company" or "contact" (<see cref="EntityKinds"/>).</summary>
    public string RecordKind { get; set; } = "";

    public Guid RecordId { get; set; }

    public Guid? ActorId { get; set; }

    /// <summary>Where the change came from: form, api, import, demo.</summary>
    public string Channel { get; set; } = "";

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }
}

/// <summary>
/// The client triggers scenarios start on (today: a lead was created). <see cref="LeadCreated"/> puts the trigger
/// into the change's own unit of work (saved in the same transaction, or not at all); <see cref="Kick"/>, after
/// the commit, asks for the drain at once, and the every-minute "clients:outbox" run catches anything a crash
/// left between the two. The import writes its rows itself, in one statement with its batch
/// (<see cref="InsertLeadsCreatedSql"/>). The same pattern as Deals' outbox.
/// </summary>
internal sealed class ClientOutbox(ClientsDbContext db, ICurrentUser currentUser, IBackgroundJobClient jobs, TimeProvider clock)
{
    public static class Channels
    {
        public const string Form = "form";
        public const string Api = "api";
        public const string Import = "import";
        public const string Demo = "demo";
    }

    /// <summary>
    /// The import's "lead created" rows for a whole batch in one statement: parameters @ids (uuid[]), @actor and
    /// @now. Run on the import's connection inside its transaction.
    /// </summary>
    public const string InsertLeadsCreatedSql =
        "INSERT INTO clients.outbox (id, kind, record_kind, record_id, actor_id, channel, occurred_at) " +
        "SELECT gen_random_uuid(), '" + ClientTriggerKinds.LeadCreated + "', '" + EntityKinds.Lead + "', lead_id, @actor, '" + Channels.Import + "', @now " +
        "FROM unnest(@ids) AS lead_id";

    public void LeadCreated(Guid leadId, string channel) =>
        db.Outbox.Add(new ClientOutboxMessage
        {
            Id = Guid.CreateVersion7(),
            Kind = ClientTriggerKinds.LeadCreated,
            RecordKind = EntityKinds.Lead,
            RecordId = leadId,
            ActorId = currentUser.IsAuthenticated ? currentUser.Id : null,
            Channel = channel,
            OccurredAt = clock.GetUtcNow(),
        });

    /// <summary>Asks for a drain now, unless one asked for moments ago has not started yet (<see cref="DrainRequests"/>).</summary>
    public void Kick()
    {
        if (Requests.ShouldAsk())
        {
            jobs.Enqueue<ClientOutboxDrain>(drain => drain.DrainAsync(CancellationToken.None));
        }
    }

    /// <summary>This outbox's drain requests in this process; the drain marks itself started.</summary>
    public static readonly DrainRequests Requests = new();
}

/// <summary>
/// Hands waiting client triggers to the subscribers, a batch at a time, oldest first, rows locked with
/// <c>FOR UPDATE SKIP LOCKED</c> so drains running together share the work; a batch is marked processed only
/// after every subscriber took it (a failure leaves it for the next drain; subscribers dedup by event id).
/// No Hangfire lock (ADR 0017): two drains at once are what SKIP LOCKED is for.
/// </summary>
internal sealed class ClientOutboxDrain(ClientsDbContext db, IEnumerable<IClientTriggerSubscriber> subscribers, TimeProvider clock, ILogger<ClientOutboxDrain> logger)
{
    public const string JobId = "clients:outbox";

    private const int BatchSize = 200;

    [AutomaticRetry(Attempts = 3)]
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        ClientOutbox.Requests.Started();
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var batch = await db.Outbox
                .FromSql($"SELECT * FROM clients.outbox WHERE processed_at IS NULL ORDER BY occurred_at, id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return;
            }

            var triggers = batch.Select(m => new ClientTriggered(m.Id, m.Kind, m.RecordKind, m.RecordId, m.ActorId, m.OccurredAt, m.Channel)).ToList();
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
            db.ChangeTracker.Clear();
            logger.LogDebug("Handed {Count} client triggers to {Subscribers} subscribers", batch.Count, subscribers.Count());
        }
    }
}
