using Crm.Tasks.Contracts;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tasks.Notifications;

/// <summary>
/// Writes notifications in one statement with ON CONFLICT DO NOTHING on (user, once key): at most once,
/// whoever calls and however often. It runs on its own (outside any transaction the caller has open on
/// another context), so call it after your change is committed.
/// </summary>
internal sealed class NotificationStore(TasksDbContext db, TimeProvider clock) : INotifications
{
    public async Task NotifyAsync(IReadOnlyCollection<NotificationWrite> notifications, CancellationToken cancellationToken)
    {
        if (notifications.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var ids = notifications.Select(_ => Guid.CreateVersion7()).ToArray();
        var users = notifications.Select(n => n.UserId).ToArray();
        var kinds = notifications.Select(n => Cut(n.Kind, Notification.KindLength)).ToArray();
        var subjects = notifications.Select(n => Cut(n.Subject, Notification.SubjectLength)).ToArray();
        var links = notifications.Select(n => n.Link).ToArray();
        var keys = notifications.Select(n => Cut(n.OnceKey, Notification.OnceKeyLength)).ToArray();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO tasks.notifications (id, user_id, kind, subject, link, once_key, created_at)
            SELECT id, user_id, kind, subject, link, once_key, {now}
            FROM unnest({ids}, {users}, {kinds}, {subjects}, {links}, {keys}) AS n(id, user_id, kind, subject, link, once_key)
            ON CONFLICT (user_id, once_key) DO NOTHING
            """,
            cancellationToken);
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];
}
