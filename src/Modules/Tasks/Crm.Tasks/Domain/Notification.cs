namespace Crm.Tasks.Domain;

/// <summary>
/// One in-app notification. (user_id, once_key) is unique: a retried job or repeated event inserts
/// nothing the second time. The text is rendered when read, in the reader's language, from
/// <see cref="Kind"/> (a registered NotificationKind) and <see cref="Subject"/>.
/// </summary>
internal sealed class Notification
{
    public const int SubjectLength = 300;
    public const int KindLength = 64;
    public const int OnceKeyLength = 200;

    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public string Kind { get; set; } = "";

    public string Subject { get; set; } = "";

    public string? Link { get; set; }

    public string OnceKey { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>
/// A user's private iCalendar feed: the URL carries a random token, only its SHA-256 is stored. Making a
/// new one or revoking deletes the old row, so an old URL stops working at once.
/// </summary>
internal sealed class CalendarFeed
{
    public Guid UserId { get; set; }

    public string TokenHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The kinds of notifications the Tasks module sends.</summary>
internal static class TaskNotificationKinds
{
    public const string Assigned = "task.assigned";
    public const string Reminder = "task.reminder";
    public const string Overdue = "task.overdue";
    public const string Done = "task.done";
}
