using Crm.Tasks.Domain;

namespace Crm.Tasks.Api;

/// <summary>
/// A task as the API shows it: enums as lower-case names, times as UTC instants ("…Z"), <see cref="Version"/>
/// to send back in a PATCH or complete ("version" or If-Match), <see cref="Overdue"/> computed at read time.
/// </summary>
internal sealed record TaskDto(
    Guid Id,
    string Title,
    string? Description,
    string Kind,
    string Priority,
    string Status,
    Guid AssigneeId,
    Guid AuthorId,
    DateTime DueAt,
    bool AllDay,
    int? DurationMinutes,
    int? ReminderMinutes,
    DateTime? RemindAt,
    bool Overdue,
    string? LinkKind,
    Guid? LinkId,
    string? LinkName,
    Guid? ParentId,
    IReadOnlyList<string> Tags,
    string? Result,
    DateTime? CompletedAt,
    Guid? CompletedById,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    uint Version)
{
    public static TaskDto From(TaskItem t, DateTimeOffset now) => new(
        t.Id, t.Title, t.Description, TaskEnums.Name(t.Kind), TaskEnums.Name(t.Priority), TaskEnums.Name(t.Status),
        t.AssigneeId, t.AuthorId, t.DueAt.UtcDateTime, t.AllDay, t.DurationMinutes, t.ReminderMinutes, t.RemindAt?.UtcDateTime,
        t.IsOverdue(now), t.LinkKind, t.LinkId, t.LinkName, t.ParentId, t.Tags, t.Result, t.CompletedAt?.UtcDateTime, t.CompletedById,
        t.CreatedAt.UtcDateTime, t.UpdatedAt.UtcDateTime, t.Version);
}

internal sealed record TaskListResponse(IReadOnlyList<TaskDto> Items, string? NextCursor);
