namespace Crm.Tasks.Contracts;

/// <summary>
/// A task another module sets (a scenario's "create a task"): <paramref name="Kind"/> is call, meeting,
/// email or todo; <paramref name="OriginKey"/> makes it at most once.
/// </summary>
public sealed record TaskToSchedule(
    string Title, string Kind, Guid AssigneeId, DateTimeOffset DueAt, bool AllDay, string? LinkKind, Guid? LinkId, string OriginKey, string? Description = null);

/// <summary>The task that exists for the origin key (made now or before), or why none could be made.</summary>
public sealed record ScheduledTaskResult(Guid? TaskId, bool Created, string? Error);

/// <summary>
/// Sets tasks for other modules through the Tasks module's one editor (its rules, its notifications, the
/// linked record's next task), as the acting user. Registered by Tasks.
/// </summary>
public interface IScheduledTasks
{
    /// <summary>
    /// Creates the task unless one with the same origin key exists (then answers that one): a retried or
    /// re-delivered caller never makes a second.
    /// </summary>
    Task<ScheduledTaskResult> CreateOnceAsync(TaskToSchedule task, CancellationToken cancellationToken);
}
