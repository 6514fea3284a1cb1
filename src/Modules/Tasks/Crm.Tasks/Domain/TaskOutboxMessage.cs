namespace Crm.Tasks.Domain;

/// <summary>
/// A task trigger waiting to be handed to its subscribers ("task overdue"): written by the overdue sweep in the
/// statement that marks the task, marked processed once the head was told and every subscriber took it.
/// </summary>
internal sealed class TaskOutboxMessage
{
    public Guid Id { get; set; }

    public string Kind { get; set; } = "";

    public Guid TaskId { get; set; }

    public Guid AssigneeId { get; set; }

    /// <summary>The moment the task became overdue: the episode (the head's notification is once per it).</summary>
    public DateTimeOffset OverdueAt { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }
}
