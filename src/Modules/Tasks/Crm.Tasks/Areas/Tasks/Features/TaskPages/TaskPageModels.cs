using System.Globalization;
using Crm.Identity.Contracts;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Microsoft.Extensions.Localization;

namespace Crm.Tasks.Areas.Tasks.Features.TaskPages;

/// <summary>
/// The task form as typed: text the user entered (dates and numbers are parsed here, so a wrong value
/// comes back next to its field with what was typed), the link, the parent and the version it was loaded with.
/// </summary>
internal sealed class TaskForm
{
    public string? Title { get; set; }

    public string? Kind { get; set; } = nameof(TaskKind.Call);

    public Guid? AssigneeId { get; set; }

    /// <summary>yyyy-MM-dd from the date input (a typed dd.MM.yyyy is understood as well).</summary>
    public string? DueDate { get; set; }

    /// <summary>HH:mm from the time input; ignored for an all-day task.</summary>
    public string? DueTime { get; set; }

    public bool AllDay { get; set; }

    public string? DurationMinutes { get; set; }

    /// <summary>Minutes before the due time; empty for no reminder.</summary>
    public string? ReminderMinutes { get; set; }

    public string? Priority { get; set; } = nameof(TaskPriority.Normal);

    public string? Description { get; set; }

    /// <summary>Comma separated.</summary>
    public string? Tags { get; set; }

    public string? LinkKind { get; set; }

    public Guid? LinkId { get; set; }

    /// <summary>What the picker shows; the server finds the record again by kind and id.</summary>
    public string? LinkName { get; set; }

    /// <summary>Opened from a record's card: the link is shown as a chip, not a picker.</summary>
    public bool LinkFixed { get; set; }

    public Guid? ParentId { get; set; }

    public uint? Version { get; set; }

    public string? ReturnUrl { get; set; }

    public static readonly int[] ReminderChoices = [0, 5, 15, 30, 60, 1440];

    public static TaskForm From(TaskItem task, TimeZoneInfo timeZone)
    {
        var due = TaskTimes.ToLocal(task.DueAt, timeZone);
        return new TaskForm
        {
            Title = task.Title,
            Kind = task.Kind.ToString(),
            AssigneeId = task.AssigneeId,
            DueDate = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DueTime = task.AllDay ? null : due.ToString("HH:mm", CultureInfo.InvariantCulture),
            AllDay = task.AllDay,
            DurationMinutes = task.DurationMinutes?.ToString(CultureInfo.InvariantCulture),
            ReminderMinutes = task.ReminderMinutes?.ToString(CultureInfo.InvariantCulture),
            Priority = task.Priority.ToString(),
            Description = task.Description,
            Tags = string.Join(", ", task.Tags),
            LinkKind = task.LinkKind,
            LinkId = task.LinkId,
            LinkName = task.LinkName,
            ParentId = task.ParentId,
            Version = task.Version,
        };
    }

    public TaskKind? ParsedKind => Enum.TryParse<TaskKind>(Kind, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(Kind, out _) ? kind : null;

    /// <summary>
    /// The editor's input, or the messages for what could not be read (keyed by this form's field names).
    /// An unknown kind or priority is passed on as such, so the editor's own message is shown.
    /// </summary>
    public (TaskInput? Input, Dictionary<string, string> Errors) ToInput(TimeZoneInfo timeZone, IStringLocalizer L)
    {
        var errors = new Dictionary<string, string>();
        var kind = ParsedKind ?? (TaskKind)(-1);
        var priority = Enum.TryParse<TaskPriority>(Priority, ignoreCase: true, out var p) && Enum.IsDefined(p) && !int.TryParse(Priority, out _) ? p : (TaskPriority)(-1);

        DateTimeOffset? dueAt = null;
        var date = ParseDate(DueDate);
        var time = ParseTime(DueTime);
        if (string.IsNullOrWhiteSpace(DueDate))
        {
            // Left to the editor, which says "Enter when it is due."
        }
        else if (date is null)
        {
            errors[nameof(DueDate)] = L["Enter a date, for example 31.12.2026."];
        }
        else if (!AllDay && string.IsNullOrWhiteSpace(DueTime))
        {
            errors[nameof(DueTime)] = L["Enter the time, or tick «All day»."];
        }
        else if (!AllDay && time is null)
        {
            errors[nameof(DueTime)] = L["Enter the time, for example 14:30."];
        }
        else
        {
            dueAt = TaskTimes.ToInstant(date.Value, AllDay ? null : time, timeZone);
        }

        int? duration = null;
        if (kind == TaskKind.Meeting && !string.IsNullOrWhiteSpace(DurationMinutes))
        {
            if (int.TryParse(DurationMinutes.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
            {
                duration = minutes;
            }
            else
            {
                errors[nameof(DurationMinutes)] = L["Enter the duration in minutes, for example 60."];
            }
        }

        int? reminder = null;
        if (!string.IsNullOrWhiteSpace(ReminderMinutes))
        {
            if (int.TryParse(ReminderMinutes.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
            {
                reminder = minutes;
            }
            else
            {
                errors[nameof(ReminderMinutes)] = L["Choose when to remind."];
            }
        }

        if (!string.IsNullOrWhiteSpace(LinkKind) && LinkId is null && !string.IsNullOrWhiteSpace(LinkName))
        {
            errors[nameof(LinkId)] = L["Choose the record from the list."];
        }

        var hasLink = !string.IsNullOrWhiteSpace(LinkKind) && LinkId is not null;
        var input = new TaskInput
        {
            Title = Title,
            Description = Description,
            Kind = kind,
            Priority = priority,
            AssigneeId = AssigneeId,
            DueAt = dueAt,
            AllDay = AllDay,
            DurationMinutes = duration,
            ReminderMinutes = reminder,
            LinkKind = hasLink ? LinkKind : null,
            LinkId = hasLink ? LinkId : null,
            ParentId = ParentId,
            Tags = (Tags ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
        return (input, errors);
    }

    /// <summary>Where the editor's message for an input property is shown on this form.</summary>
    public static string FieldOf(string inputKey) => inputKey switch
    {
        nameof(TaskInput.DueAt) => nameof(DueDate),
        "Link" or nameof(TaskInput.LinkKind) or nameof(TaskInput.LinkId) => nameof(LinkId),
        "Status" => "",
        _ => inputKey,
    };

    private static DateOnly? ParseDate(string? text)
    {
        text = text?.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
        {
            return iso;
        }

        return DateOnly.TryParse(text, CultureInfo.CurrentCulture, DateTimeStyles.None, out var typed) ? typed : null;
    }

    private static TimeOnly? ParseTime(string? text)
    {
        text = text?.Trim();
        return TimeOnly.TryParseExact(text, ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            || TimeOnly.TryParse(text, CultureInfo.CurrentCulture, DateTimeStyles.None, out time)
            ? time
            : null;
    }
}

/// <summary>A record kind the form can link to, with its name in the user's language.</summary>
internal sealed record LinkKindChoice(string Kind, string Label);

/// <summary>The form page: the form, the choices, and the context (new or edit, parent, where to go back).</summary>
internal sealed record TaskFormPage(
    TaskForm Form,
    Guid? TaskId,
    IReadOnlyList<UserSummary> Assignees,
    IReadOnlyList<LinkKindChoice> LinkKinds,
    string? ParentTitle,
    string BackUrl)
{
    public bool IsNew => TaskId is null;

    public string Action => IsNew ? "/tasks/new" : $"/tasks/{TaskId}/edit";

    public string? LinkKindLabel => LinkKinds.FirstOrDefault(k => string.Equals(k.Kind, Form.LinkKind, StringComparison.OrdinalIgnoreCase))?.Label;
}

/// <summary>A subtask line on its parent's card.</summary>
internal sealed record SubtaskRow(Guid Id, string Title, TaskKind Kind, TaskState Status, DateTimeOffset DueAt, bool AllDay, bool Overdue, string AssigneeInitials);

/// <summary>The task card: the task, the names around it, and what the user may do with it.</summary>
internal sealed record TaskCardPage(
    TaskItem Task,
    string AssigneeName,
    string AuthorName,
    string? CompletedByName,
    string? LinkKindLabel,
    string? LinkUrl,
    (Guid Id, string Title)? Parent,
    IReadOnlyList<SubtaskRow> Subtasks,
    bool CanEdit,
    bool CanDelete)
{
    public string Url => "/tasks/" + Task.Id;
}
