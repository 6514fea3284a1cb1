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
    public Task<int> SendRemindersAsync(CancellationToken cancellationToken) =>
        SendAsync(Moment.Reminder, cancellationToken);

    /// <summary>Tasks that became overdue: tells each assignee once per due time. Returns how many were told.</summary>
    public Task<int> SendOverdueAsync(CancellationToken cancellationToken) =>
        SendAsync(Moment.Overdue, cancellationToken);

    /// <summary>
    /// The columns of one kind of moment: when it comes, where its "told" mark goes, the notification kind
    /// and the word in its once key, and the trigger the mark raises (null: none). Constants of this class
    /// only, so building the SQL from them is safe.
    /// </summary>
    private sealed record Moment(string At, string ToldAt, string Kind, string KeyWord, string? Trigger)
    {
        public static readonly Moment Reminder = new("remind_at", "reminded_at", TaskNotificationKinds.Reminder, "reminder", null);
        public static readonly Moment Overdue = new("overdue_at", "overdue_notified_at", TaskNotificationKinds.Overdue, "overdue", Contracts.TaskTriggerKinds.Overdue);
    }

    private async Task<int> SendAsync(Moment moment, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
#pragma warning disable EF1002 // The interpolated names are the constants of Moment; the values are parameters.
        return await db.Database.ExecuteSqlRawAsync(
            $"""
            WITH due AS (
                SELECT id FROM tasks.tasks
                WHERE deleted_at IS NULL AND status = 'Open' AND {moment.At} IS NOT NULL AND {moment.ToldAt} IS NULL AND {moment.At} <= @now
                ORDER BY {moment.At}
                LIMIT {Batch}
                FOR UPDATE SKIP LOCKED),
            marked AS (
                UPDATE tasks.tasks t SET {moment.ToldAt} = @now
                FROM due WHERE t.id = due.id
                RETURNING t.id, t.assignee_id, t.title, t.{moment.At} AS at){Raise(moment)}
            INSERT INTO tasks.notifications (id, user_id, kind, subject, link, once_key, created_at)
            SELECT gen_random_uuid(), assignee_id, '{moment.Kind}', left(title, {Notification.SubjectLength}), '/tasks/' || id,
                   'task:' || id || ':{moment.KeyWord}:' || to_char(at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MI'), @now
            FROM marked
            ON CONFLICT (user_id, once_key) DO NOTHING
            """,
            [new Npgsql.NpgsqlParameter("now", now)],
            cancellationToken);
#pragma warning restore EF1002
    }

    /// <summary>
    /// The trigger of each task marked, written by the same statement (another data-modifying CTE): the mark and
    /// the trigger are one, so it is raised exactly once per episode (the mark is reset when the due time moves).
    /// </summary>
    private static string Raise(Moment moment) => moment.Trigger is null ? "" :
        $"""
        ,
            raised AS (
                INSERT INTO tasks.outbox (id, kind, task_id, assignee_id, overdue_at, occurred_at)
                SELECT gen_random_uuid(), '{moment.Trigger}', id, assignee_id, at, @now FROM marked)
        """;
}
