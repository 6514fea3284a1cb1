using Crm.Identity.Contracts;
using Crm.Tasks.Contracts;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Crm.Tasks.Notifications;

/// <summary>
/// Hands waiting task triggers ("task overdue", written by the overdue sweep) to the subscribers, a batch at a
/// time, oldest first, rows locked with <c>FOR UPDATE SKIP LOCKED</c> so drains running together share the work.
/// Before the subscribers, it tells the head of each assignee's department that the task is overdue (when
/// <see cref="NotifyHeadSetting"/> is on): once per task and episode, keyed by the overdue moment, so a batch
/// handed over again notifies nobody twice. A batch is marked processed only after all that (a failure leaves
/// it for the next drain). Run after each sweep that marked tasks, and every minute for what a crash left.
/// No Hangfire lock (ADR 0017).
/// </summary>
internal sealed class TaskOutboxDrain(
    TasksDbContext db,
    IEnumerable<ITaskTriggerSubscriber> subscribers,
    INotifications notifications,
    IUserDirectory users,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<TaskOutboxDrain> logger)
{
    public const string JobId = "tasks:outbox";

    /// <summary>Whether the head of the assignee's department is told of an overdue task (default: yes).</summary>
    public const string NotifyHeadSetting = "Crm:Tasks:NotifyHeadOfOverdue";

    private const int BatchSize = 200;

    [AutomaticRetry(Attempts = 3)]
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var notifyHead = configuration.GetValue(NotifyHeadSetting, true);
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var batch = await db.Outbox
                .FromSql($"SELECT * FROM tasks.outbox WHERE processed_at IS NULL ORDER BY occurred_at, id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return;
            }

            if (notifyHead)
            {
                await NotifyHeadsAsync(batch.Where(m => m.Kind == TaskTriggerKinds.Overdue).ToList(), cancellationToken);
            }

            var triggers = batch.Select(m => new TaskTriggered(m.Id, m.Kind, m.TaskId, m.AssigneeId, m.OccurredAt)).ToList();
            foreach (var subscriber in subscribers)
            {
                await subscriber.HandleAsync(triggers, cancellationToken);
            }

            var now = clock.GetUtcNow();
            foreach (var message in batch)
            {
                message.ProcessedAt = now;
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            logger.LogDebug("Handed {Count} task triggers to {Subscribers} subscribers", batch.Count, subscribers.Count());
        }
    }

    /// <summary>
    /// "Overdue: Call back (Anna Petrova)" for the head of each assignee's department (not when the head is the
    /// assignee: they were told by the sweep). The subject is the task's title with its assignee; the kind is the
    /// task's own "overdue", so the head reads it in their language. One query for the tasks, one for the users.
    /// </summary>
    private async Task NotifyHeadsAsync(List<TaskOutboxMessage> overdue, CancellationToken cancellationToken)
    {
        if (overdue.Count == 0)
        {
            return;
        }

        var taskIds = overdue.Select(m => m.TaskId).ToList();
        var tasks = await db.Tasks.AsNoTracking().Where(t => taskIds.Contains(t.Id))
            .Select(t => new { t.Id, t.Title, t.AssigneeId, t.AssigneeDepartmentId })
            .ToDictionaryAsync(t => t.Id, cancellationToken);
        var heads = (await users.GetDepartmentsAsync(cancellationToken)).Where(d => d.HeadUserId is not null).ToDictionary(d => d.Id, d => d.HeadUserId!.Value);
        var assignees = await users.GetUsersAsync(tasks.Values.Select(t => t.AssigneeId).Distinct().ToList(), cancellationToken);
        var writes = new List<NotificationWrite>();
        foreach (var message in overdue)
        {
            if (!tasks.TryGetValue(message.TaskId, out var task) || !heads.TryGetValue(task.AssigneeDepartmentId, out var head) || head == task.AssigneeId)
            {
                continue;
            }

            var assignee = assignees.GetValueOrDefault(task.AssigneeId)?.FullName;
            var subject = assignee is null ? task.Title : $"{task.Title} ({assignee})";
            writes.Add(new NotificationWrite(head, TaskNotificationKinds.Overdue, subject, "/tasks/" + task.Id, HeadOnceKey(task.Id, message.OverdueAt)));
        }

        await notifications.NotifyAsync(writes, cancellationToken);
    }

    /// <summary>Once per task and episode (its overdue moment), like the assignee's own overdue notification.</summary>
    public static string HeadOnceKey(Guid taskId, DateTimeOffset overdueAt) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"task:{taskId}:overdue-head:{overdueAt.UtcDateTime:yyyyMMddHHmm}");
}
