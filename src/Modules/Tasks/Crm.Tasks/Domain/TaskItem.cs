namespace Crm.Tasks.Domain;

internal enum TaskKind
{
    Call,
    Meeting,
    Email,
    Todo,
}

/// <summary>Named so as not to clash with <see cref="System.Threading.Tasks.TaskStatus"/>.</summary>
internal enum TaskState
{
    Open,
    Done,
    Cancelled,
}

internal enum TaskPriority
{
    Low,
    Normal,
    High,
}

/// <summary>
/// A task or activity (call, meeting, e-mail, to-do) set for an assignee, optionally linked to a record of
/// another module (kind + id, with a copy of its name), optionally a subtask of another (one level only).
/// Times are UTC. <see cref="OverdueAt"/> and <see cref="RemindAt"/> are derived when the due time is set
/// (<see cref="Schedule"/>) and stored, so "overdue" and "reminder due" are plain indexed comparisons.
/// </summary>
internal sealed class TaskItem
{
    public const int TitleLength = 300;
    public const int DescriptionLength = 4000;
    public const int ResultLength = 4000;

    public Guid Id { get; set; }

    public string Title { get; set; } = "";

    public string? Description { get; set; }

    public TaskKind Kind { get; set; } = TaskKind.Todo;

    public TaskPriority Priority { get; set; } = TaskPriority.Normal;

    public Guid AssigneeId { get; set; }

    /// <summary>The assignee's department when assigned: department scopes need no join into Identity.</summary>
    public Guid AssigneeDepartmentId { get; set; }

    public Guid AuthorId { get; set; }

    /// <summary>The due time; for an all-day task, the start of that day in the assignee's time zone.</summary>
    public DateTimeOffset DueAt { get; set; }

    public bool AllDay { get; set; }

    /// <summary>Meetings (and calls, if wanted): how long, for the calendar and the iCalendar feed.</summary>
    public int? DurationMinutes { get; set; }

    /// <summary>Minutes before <see cref="DueAt"/> to remind; null for no reminder.</summary>
    public int? ReminderMinutes { get; set; }

    /// <summary>When the reminder is due (null: none). Cleared <see cref="RemindedAt"/> when it moves.</summary>
    public DateTimeOffset? RemindAt { get; set; }

    /// <summary>Set by the reminder job, in the same statement that writes the notification.</summary>
    public DateTimeOffset? RemindedAt { get; set; }

    /// <summary>The moment the task becomes overdue: the due time, or the end of the day for an all-day task.</summary>
    public DateTimeOffset OverdueAt { get; set; }

    /// <summary>Set by the overdue job when it has told the assignee (once per due time).</summary>
    public DateTimeOffset? OverdueNotifiedAt { get; set; }

    public string? LinkKind { get; set; }

    public Guid? LinkId { get; set; }

    /// <summary>The linked record's name when linked (a display copy, refreshed when the task is saved).</summary>
    public string? LinkName { get; set; }

    public Guid? ParentId { get; set; }

    /// <summary>
    /// What created the task when it was not a person: a scenario action's idempotency key. Unique, so a
    /// retried action never creates a second task.
    /// </summary>
    public string? OriginKey { get; set; }

    public List<string> Tags { get; set; } = [];

    public TaskState Status { get; set; } = TaskState.Open;

    public string? Result { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public Guid? CompletedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Deleted tasks are kept (hidden) so links and history stay explainable.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>PostgreSQL xmin: two people saving the same task get a conflict, never a silent overwrite.</summary>
    public uint Version { get; set; }

    public bool IsOpen => Status == TaskState.Open;

    public bool IsOverdue(DateTimeOffset now) => IsOpen && OverdueAt <= now;

    /// <summary>
    /// Sets the due time (an all-day task: the day, read in <paramref name="timeZone"/>) and the derived
    /// overdue and reminder times. A moved reminder or due time is reminded and reported again.
    /// </summary>
    public void Schedule(DateTimeOffset dueAt, bool allDay, int? reminderMinutes, TimeZoneInfo timeZone)
    {
        // Whole seconds: what is kept is exactly what PostgreSQL stores and every page shows.
        dueAt = new DateTimeOffset(dueAt.UtcTicks - dueAt.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        if (allDay)
        {
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(dueAt, timeZone).DateTime);
            dueAt = StartOfDay(day, timeZone);
        }

        var overdueAt = allDay ? StartOfDay(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(dueAt, timeZone).DateTime).AddDays(1), timeZone) : dueAt;
        var remindAt = reminderMinutes is { } minutes ? dueAt.AddMinutes(-minutes) : (DateTimeOffset?)null;
        if (remindAt != RemindAt)
        {
            RemindedAt = null;
        }

        if (overdueAt != OverdueAt)
        {
            OverdueNotifiedAt = null;
        }

        DueAt = dueAt.ToUniversalTime();
        AllDay = allDay;
        ReminderMinutes = reminderMinutes;
        RemindAt = remindAt?.ToUniversalTime();
        OverdueAt = overdueAt.ToUniversalTime();
    }

    /// <summary>Midnight of <paramref name="day"/> in the time zone, as a UTC instant.</summary>
    public static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo timeZone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, timeZone.GetUtcOffset(local)).ToUniversalTime();
    }
}
