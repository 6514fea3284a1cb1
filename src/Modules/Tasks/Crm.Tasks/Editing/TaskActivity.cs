using Crm.SharedKernel.Access;
using Crm.SharedKernel.Events;
using Crm.Tasks.Contracts;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace Crm.Tasks.Editing;

/// <summary>
/// What follows a committed change of a task: a line on the linked record's timeline, a notification
/// to the assignee (set for you) or the author (done), and the record's "next task" and "last activity"
/// dates sent as <see cref="TaskActivityChanged"/>. Best effort after the commit (docs/adr/0011): a
/// failure is logged, never undoes the task's change; the dates are absolute, so the next change of any
/// task on the record sets them right.
/// </summary>
internal sealed class TaskActivity(
    TasksDbContext db,
    TaskLinks links,
    INotifications notifications,
    IIntegrationEvents events,
    ICurrentUser currentUser,
    IStringLocalizer<TasksStrings> L,
    ILogger<TaskActivity> logger)
{
    public async Task CreatedAsync(TaskItem task, CancellationToken cancellationToken)
    {
        await TellRecordAsync(task, L["Task set: {0}", task.Title], Description(task), cancellationToken);
        await NotifyAssigneeAsync(task, cancellationToken);
        await SendDatesAsync(task.LinkKind, task.LinkId, cancellationToken);
    }

    public async Task ChangedAsync(TaskItem task, Guid previousAssignee, string? previousLinkKind, Guid? previousLinkId, CancellationToken cancellationToken)
    {
        if (previousAssignee != task.AssigneeId)
        {
            await NotifyAssigneeAsync(task, cancellationToken);
        }

        if (previousLinkId is not null && (previousLinkId != task.LinkId || previousLinkKind != task.LinkKind))
        {
            await SendDatesAsync(previousLinkKind, previousLinkId, cancellationToken);
        }

        await SendDatesAsync(task.LinkKind, task.LinkId, cancellationToken);
    }

    public async Task CompletedAsync(TaskItem task, CancellationToken cancellationToken)
    {
        await TellRecordAsync(task, L["Task done: {0}", task.Title], task.Result, cancellationToken);
        if (task.AuthorId != task.CompletedById)
        {
            await SafelyAsync(
                () => notifications.NotifyAsync(
                    [new NotificationWrite(task.AuthorId, TaskNotificationKinds.Done, task.Title, "/tasks/" + task.Id, $"task:{task.Id}:done:{task.CompletedAt!.Value.UtcTicks}")],
                    cancellationToken),
                "notify the author of",
                task.Id);
        }

        await SendDatesAsync(task.LinkKind, task.LinkId, cancellationToken);
    }

    private string? Description(TaskItem task) => task.Description is { Length: > 0 } d ? d : null;

    private async Task NotifyAssigneeAsync(TaskItem task, CancellationToken cancellationToken)
    {
        if (currentUser.IsAuthenticated && task.AssigneeId == currentUser.Id)
        {
            return;
        }

        await SafelyAsync(
            () => notifications.NotifyAsync(
                [new NotificationWrite(task.AssigneeId, TaskNotificationKinds.Assigned, task.Title, "/tasks/" + task.Id, $"task:{task.Id}:assigned:{task.AssigneeId}:{task.UpdatedAt.UtcTicks}")],
                cancellationToken),
            "notify the assignee of",
            task.Id);
    }

    private async Task TellRecordAsync(TaskItem task, string subject, string? text, CancellationToken cancellationToken)
    {
        if (links.Find(task.LinkKind) is not { } target || task.LinkId is not { } recordId)
        {
            return;
        }

        var author = currentUser.IsAuthenticated ? currentUser.Id : (Guid?)null;
        await SafelyAsync(
            () => target.WriteTimelineAsync(recordId, new TaskTimelineLine(subject, text, author, "/tasks/" + task.Id), cancellationToken),
            "write the record's timeline for",
            task.Id);
    }

    /// <summary>The record's earliest open due time and latest completion, read from this module's own table.</summary>
    public async Task SendDatesAsync(string? kind, Guid? recordId, CancellationToken cancellationToken)
    {
        if (kind is null || recordId is not { } id)
        {
            return;
        }

        await SafelyAsync(
            async () =>
            {
                var dates = await db.Tasks.Where(t => t.LinkKind == kind && t.LinkId == id && t.DeletedAt == null)
                    .GroupBy(t => 1)
                    .Select(g => new
                    {
                        Next = g.Where(t => t.Status == TaskState.Open).Min(t => (DateTimeOffset?)t.DueAt),
                        Last = g.Where(t => t.Status == TaskState.Done).Max(t => t.CompletedAt),
                    })
                    .SingleOrDefaultAsync(cancellationToken);
                await events.PublishAsync(new TaskActivityChanged(kind, id, dates?.Next, dates?.Last), cancellationToken);
            },
            "send the record dates for",
            id);
    }

    private async Task SafelyAsync(Func<Task> action, string what, Guid id)
    {
        try
        {
            await action();
        }
        catch (Exception exception) when (exception is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException)
        {
            logger.LogWarning(exception, "Could not {What} task {TaskId}", what, id);
        }
    }
}
