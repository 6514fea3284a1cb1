using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tasks.Notifications;

/// <summary>
/// The reminder and overdue sweeps, run every minute by Hangfire (<see cref="Jobs.TaskJobs"/>). Each is one
/// statement: it marks the tasks whose moment has come and inserts their notifications together, keyed
/// by task and moment, so a retried or overlapping run (two servers, a job killed after its commit)
/// delivers nothing twice, and a task whose due time moved is reminded again for the new time.
/// </summary>
internal sealed class TaskReminders(TasksDbContext db, TimeProvider clock)
{
    /// <summary>At most this many per run and statement; the next minute's run takes the rest at once (the job re-queues itself while there is more).</summary>
    public const int Batch = 20_000;

    /// <summary>Reminders whose time has come: notifies each assignee once. Returns how many were sent.</summary>
    public async Task<int> SendRemindersAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            WITH due AS (
                SELECT id FROM tasks.tasks
                WHERE deleted_at IS NULL AND status = 'Open' AND remind_at IS NOT NULL AND reminded_at IS NULL AND remind_at <= {now}
                ORDER BY remind_at
                LIMIT {Batch}
                FOR UPDATE SKIP LOCKED),
            marked AS (
                UPDATE tasks.tasks t SET reminded_at = {now}
                FROM due WHERE t.id = due.id
                RETURNING t.id, t.assignee_id, t.title, t.remind_at)
            INSERT INTO tasks.notifications (id, user_id, kind, subject, link, once_key, created_at)
            SELECT gen_random_uuid(), assignee_id, {TaskNotificationKinds.Reminder}, left(title, {Notification.SubjectLength}), '/tasks/' || id,
                   'task:' || id || ':reminder:' || to_char(remind_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MI'), {now}
            FROM marked
            ON CONFLICT (user_id, once_key) DO NOTHING
            """,
            cancellationToken);
    }

    /// <summary>Tasks that became overdue: tells each assignee once per due time. Returns how many were told.</summary>
    public async Task<int> SendOverdueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            WITH due AS (
                SELECT id FROM tasks.tasks
                WHERE deleted_at IS NULL AND status = 'Open' AND overdue_notified_at IS NULL AND overdue_at <= {now}
                ORDER BY overdue_at
                LIMIT {Batch}
                FOR UPDATE SKIP LOCKED),
            marked AS (
                UPDATE tasks.tasks t SET overdue_notified_at = {now}
                FROM due WHERE t.id = due.id
                RETURNING t.id, t.assignee_id, t.title, t.overdue_at)
            INSERT INTO tasks.notifications (id, user_id, kind, subject, link, once_key, created_at)
            SELECT gen_random_uuid(), assignee_id, {TaskNotificationKinds.Overdue}, left(title, {Notification.SubjectLength}), '/tasks/' || id,
                   'task:' || id || ':overdue:' || to_char(overdue_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MI'), {now}
            FROM marked
            ON CONFLICT (user_id, once_key) DO NOTHING
            """,
            cancellationToken);
    }
}
