namespace Crm.Deals.Contracts;

/// <summary>The kinds of <see cref="DealTriggered"/>: what happened to a deal that scenarios can start on.</summary>
public static class DealTriggerKinds
{
    public const string Created = "deal_created";
    public const string StageEntered = "stage_entered";
    public const string Won = "deal_won";
    public const string Lost = "deal_lost";
    public const string Stalled = "deal_stalled";
}

/// <summary>
/// Something happened to a deal, told reliably: Deals writes it to its outbox in the same transaction as the
/// change and a job hands it to every <see cref="IDealTriggerSubscriber"/> until they all took it (at least
/// once: a subscriber dedups by <paramref name="EventId"/>). <paramref name="Depth"/> counts how many scenario
/// moves led here (0 for a person's or an import's change), so chains can be cut.
/// </summary>
public sealed record DealTriggered(
    Guid EventId, string Kind, Guid DealId, Guid PipelineId, Guid StageId, Guid? ActorId, int Depth, DateTimeOffset OccurredAt, string Channel);

/// <summary>
/// Takes deal triggers from Deals' outbox, a batch at a time. Registered as scoped by the module that listens
/// (Automation). An exception leaves the batch in the outbox to be handed over again.
/// </summary>
public interface IDealTriggerSubscriber
{
    Task HandleAsync(IReadOnlyList<DealTriggered> triggers, CancellationToken cancellationToken);
}

/// <summary>What a scenario's deal action came to: done, or refused with the reason (in the acting user's language).</summary>
public sealed record DealActionResult(bool Succeeded, string Message);

/// <summary>
/// The changes scenarios make to deals, through the same rules as every other channel: a move goes through
/// the stage rules and required fields; a field is set as the form would set it. Runs as the acting user.
/// </summary>
public interface IDealActions
{
    /// <summary>Moves the deal; the move's own trigger carries <paramref name="depth"/>.</summary>
    Task<DealActionResult> MoveAsync(Guid dealId, Guid stageId, int depth, CancellationToken cancellationToken);

    /// <summary>Sets a standard field (key of the deal form: "amount", "probability", "source"…) or a custom one ("cf:key").</summary>
    Task<DealActionResult> SetFieldAsync(Guid dealId, string key, string? value, CancellationToken cancellationToken);

    /// <summary>Whether the deal is (still) in the stage: a delayed action runs only "if still there".</summary>
    Task<bool> IsInStageAsync(Guid dealId, Guid stageId, CancellationToken cancellationToken);
}
