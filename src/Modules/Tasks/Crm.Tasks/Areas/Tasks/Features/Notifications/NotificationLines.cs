using Crm.SharedKernel.Access;
using Crm.Tasks.Areas.Tasks.Features.Shared;
using Crm.Tasks.Contracts;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Tasks.Areas.Tasks.Features.Notifications;

/// <summary>A notification as the reader sees it: the text in their language, the icon, when, and whether it is new.</summary>
internal sealed record NotificationLine(Guid Id, string Text, string Icon, string When, string? Link, bool Unread);

/// <summary>
/// The signed-in user's own notifications, and nobody else's: every query here is by the current user's
/// id, so an id of someone else's notification finds nothing (404). The text is rendered at read time from
/// the registered <see cref="NotificationKind"/>; a kind no module registers any more (a module removed)
/// shows its subject plainly.
/// </summary>
internal sealed class NotificationLines(
    TasksDbContext db,
    ICurrentUser currentUser,
    IEnumerable<NotificationKind> kinds,
    IStringLocalizerFactory localizers,
    TaskDisplay display)
{
    /// <summary>The badge shows "99+" beyond this: counting stops there, so a flood costs no more than 100 index entries.</summary>
    public const int BadgeCap = 99;

    private readonly Dictionary<string, NotificationKind> kindsByKey = kinds
        .GroupBy(k => k.Key, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private IQueryable<Notification> Mine => db.Notifications.AsNoTracking().Where(n => n.UserId == currentUser.Id);

    /// <summary>
    /// Unread ones, counted up to <see cref="BadgeCap"/> + 1 on the partial index of unread notifications (which
    /// ones are counted does not matter; the order by id only keeps EF from warning about a limit without one).
    /// </summary>
    public Task<int> UnreadAsync(CancellationToken cancellationToken) =>
        Mine.Where(n => n.ReadAt == null).Select(n => n.Id).OrderBy(id => id).Take(BadgeCap + 1).CountAsync(cancellationToken);

    /// <summary>Newest first, keyset paged by (created at, id): <paramref name="after"/> is the last id of the previous page.</summary>
    public async Task<(IReadOnlyList<NotificationLine> Lines, Guid? Next)> PageAsync(Guid? after, int size, CancellationToken cancellationToken)
    {
        var query = Mine;
        if (after is { } afterId
            && await Mine.Where(n => n.Id == afterId).Select(n => new { n.CreatedAt, n.Id }).SingleOrDefaultAsync(cancellationToken) is { } cursor)
        {
            query = query.Where(n => EF.Functions.LessThan(ValueTuple.Create(n.CreatedAt, n.Id), ValueTuple.Create(cursor.CreatedAt, cursor.Id)));
        }

        var rows = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = rows.Count > size ? rows[size - 1].Id : (Guid?)null;
        return (rows.Take(size).Select(Line).ToList(), next);
    }

    public async Task<NotificationLine?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await Mine.SingleOrDefaultAsync(n => n.Id == id, cancellationToken) is { } notification ? Line(notification) : null;

    /// <summary>Marks one of the user's notifications read; false when the user has none with that id.</summary>
    public async Task<bool> MarkReadAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await Mine.AnyAsync(n => n.Id == id, cancellationToken))
        {
            return false;
        }

        await db.Notifications.Where(n => n.Id == id && n.UserId == currentUser.Id && n.ReadAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(n => n.ReadAt, now), cancellationToken);
        return true;
    }

    public Task<int> MarkAllReadAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Notifications.Where(n => n.UserId == currentUser.Id && n.ReadAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(n => n.ReadAt, now), cancellationToken);

    public NotificationLine Line(Notification notification)
    {
        var text = notification.Subject;
        var icon = "bell";
        if (kindsByKey.TryGetValue(notification.Kind, out var kind))
        {
            text = localizers.Create(kind.Strings)[kind.Text, notification.Subject];
            icon = kind.Icon;
        }

        return new NotificationLine(notification.Id, text, icon, display.When(notification.CreatedAt), notification.Link, notification.ReadAt is null);
    }
}
