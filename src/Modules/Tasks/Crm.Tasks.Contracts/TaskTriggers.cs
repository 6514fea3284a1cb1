namespace Crm.Tasks.Contracts;

/// <summary>The kinds of <see cref="TaskTriggered"/>: what happened to a task that scenarios can start on.</summary>
public static class TaskTriggerKinds
{
    /// <summary>The task became overdue: raised once per episode (per due time; a rescheduled task is a new one).</summary>
    public const string Overdue = "task_overdue";
}

/// <summary>
/// Something happened to a task, told reliably: the Tasks module writes it to its outbox in the same statement as
/// the change (the overdue sweep's mark) and a job hands it to every <see cref="ITaskTriggerSubscriber"/> until
/// they all took it (at least once: a subscriber dedups by <paramref name="EventId"/>).
/// </summary>
public sealed record TaskTriggered(Guid EventId, string Kind, Guid TaskId, Guid AssigneeId, DateTimeOffset OccurredAt);

/// <summary>
/// Takes task triggers from the Tasks module's outbox, a batch at a time. Registered as scoped by the module that
/// listens (Automation). An exception leaves the batch in the outbox to be handed over again.
/// </summary>
public interface ITaskTriggerSubscriber
{
    Task HandleAsync(IReadOnlyList<TaskTriggered> triggers, CancellationToken cancellationToken);
}
