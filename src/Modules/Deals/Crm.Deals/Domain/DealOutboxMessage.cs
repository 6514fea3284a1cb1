namespace Crm.Deals.Domain;

/// <summary>
/// A deal trigger waiting to be handed to its subscribers: written in the transaction of the change it tells
/// of, marked processed once every subscriber took it (ARCHITECTURE.md rule 5: reliably where messages are
/// at stake).
/// </summary>
internal sealed class DealOutboxMessage
{
    public Guid Id { get; set; }

    public string Kind { get; set; } = "";

    public Guid DealId { get; set; }

    public Guid PipelineId { get; set; }

    public Guid StageId { get; set; }

    public Guid? ActorId { get; set; }

    public int Depth { get; set; }

    public string Channel { get; set; } = "";

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }
}
