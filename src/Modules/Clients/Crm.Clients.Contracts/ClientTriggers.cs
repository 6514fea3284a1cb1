namespace Crm.Clients.Contracts;

/// <summary>The kinds of <see cref="ClientTriggered"/>: what happened to a client record that scenarios can start on.</summary>
public static class ClientTriggerKinds
{
    public const string LeadCreated = "lead_created";
}

/// <summary>
/// Something happened to a lead, company or contact, told reliably: Clients writes it to its outbox in the same
/// transaction as the change (the form, the API, the import) and a job hands it to every
/// <see cref="IClientTriggerSubscriber"/> until they all took it (at least once: a subscriber dedups by
/// <paramref name="EventId"/>). <paramref name="RecordKind"/> is the record's kind ("lead").
/// </summary>
public sealed record ClientTriggered(
    Guid EventId, string Kind, string RecordKind, Guid RecordId, Guid? ActorId, DateTimeOffset OccurredAt, string Channel);

/// <summary>
/// Takes client triggers from Clients' outbox, a batch at a time. Registered as scoped by the module that
/// listens (Automation). An exception leaves the batch in the outbox to be handed over again.
/// </summary>
public interface IClientTriggerSubscriber
{
    Task HandleAsync(IReadOnlyList<ClientTriggered> triggers, CancellationToken cancellationToken);
}
