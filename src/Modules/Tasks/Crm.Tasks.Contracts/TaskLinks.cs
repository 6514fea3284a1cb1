namespace Crm.Tasks.Contracts;

/// <summary>The record kinds tasks link to today. A module that adds a kind uses its own name.</summary>
public static class TaskLinkKinds
{
    public const string Lead = "lead";
    public const string Contact = "contact";
    public const string Company = "company";
    public const string Deal = "deal";
}

/// <summary>A record a task is linked to, as the owning module shows it to the current user.</summary>
public sealed record LinkedRecord(string Kind, Guid Id, string Name, string Url, Guid OwnerId);

/// <summary>A line for the linked record's timeline: "Task done: Call back", with the result as text.</summary>
public sealed record TaskTimelineLine(string Subject, string? Text, Guid? AuthorId, string Link);

/// <summary>
/// A kind of record tasks can be set on, implemented by the module that owns those records and registered
/// as <c>services.AddScoped&lt;ITaskLinkTarget, ...&gt;()</c> (one per kind). The Tasks module finds the
/// targets by <see cref="Kind"/>; it never reads another module's tables.
/// </summary>
public interface ITaskLinkTarget
{
    /// <summary>The kind's name as stored on a task ("lead", "deal").</summary>
    string Kind { get; }

    /// <summary>The kind's name for people ("Deal"): a key of <see cref="Strings"/>.</summary>
    string Label { get; }

    /// <summary>The owning module's strings class that localizes <see cref="Label"/>.</summary>
    Type Strings { get; }

    /// <summary>The record, or null when it does not exist or the current user may not view it.</summary>
    Task<LinkedRecord?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Records whose name matches the text, within the current user's view scope (a picker).</summary>
    Task<IReadOnlyList<LinkedRecord>> SearchAsync(string text, int limit, CancellationToken cancellationToken);

    /// <summary>Adds a line to the record's timeline (a task created, done with its result). Called after the task's change is committed.</summary>
    Task WriteTimelineAsync(Guid id, TaskTimelineLine line, CancellationToken cancellationToken);
}

/// <summary>
/// The dates a record keeps about its tasks, sent by the Tasks module after every committed change of a
/// task linked to it: <paramref name="NextTaskDueAt"/> is the earliest due time of its open tasks (null:
/// none open), <paramref name="LastActivityAt"/> the latest completion of a task on it (null: none done).
/// The values are absolute, so a handler sets them (keeping the later last-activity it already has from
/// notes or calls) and a repeated or late event does no harm.
/// </summary>
public sealed record TaskActivityChanged(string Kind, Guid RecordId, DateTimeOffset? NextTaskDueAt, DateTimeOffset? LastActivityAt);
