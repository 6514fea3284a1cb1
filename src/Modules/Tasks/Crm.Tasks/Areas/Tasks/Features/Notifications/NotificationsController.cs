using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Crm.Tasks.Areas.Tasks.Features.Notifications;

/// <summary>
/// The user's notifications: the list page (newest first, "show more" by keyset), the bell's dropdown
/// and badge, and marking read. Only the signed-in user's own notifications are ever found: another
/// user's id answers 404 and changes nothing.
/// </summary>
[Area("Tasks")]
[Authorize]
[Route("notifications")]
internal sealed class NotificationsController(NotificationLines notifications, TimeProvider clock, IStringLocalizer<TasksStrings> strings) : Controller
{
    public const int PageSize = 30;
    public const int LatestCount = 10;

    /// <summary>Named L like the views' localizer so the translation check finds every key.</summary>
    private IStringLocalizer<TasksStrings> L => strings;

    private bool IsHtmx => Request.Headers.ContainsKey("HX-Request");

    [HttpGet("")]
    public async Task<IActionResult> Index(Guid? after, CancellationToken cancellationToken)
    {
        var (lines, next) = await notifications.PageAsync(after, PageSize, cancellationToken);
        var page = new NotificationsPage(lines, next);
        return IsHtmx ? PartialView("_Rows", page) : View(page);
    }

    /// <summary>The bell's dropdown, loaded when it opens.</summary>
    [HttpGet("latest")]
    public async Task<IActionResult> Latest(CancellationToken cancellationToken)
    {
        var (lines, _) = await notifications.PageAsync(null, LatestCount, cancellationToken);
        return PartialView("_Latest", lines);
    }

    /// <summary>The bell's badge, polled every minute: one capped count on the partial index of unread notifications.</summary>
    [HttpGet("badge")]
    public async Task<IActionResult> Badge(CancellationToken cancellationToken) =>
        PartialView("_Badge", await notifications.UnreadAsync(cancellationToken));

    /// <summary>
    /// Marks one read. From the list's button (htmx) the row comes back read; from a form (the bell, the
    /// list's text) the browser goes on to what the notification is about.
    /// </summary>
    [HttpPost("{id:guid}/read")]
    public async Task<IActionResult> Read(Guid id, CancellationToken cancellationToken)
    {
        if (!await notifications.MarkReadAsync(id, clock.GetUtcNow(), cancellationToken))
        {
            return NotFound();
        }

        var line = (await notifications.FindAsync(id, cancellationToken))!;
        if (IsHtmx)
        {
            return PartialView("_Row", line);
        }

        return Redirect(line.Link is { } link && Url.IsLocalUrl(link) ? link : "/notifications");
    }

    [HttpPost("read-all")]
    public async Task<IActionResult> ReadAll(string? returnUrl, CancellationToken cancellationToken)
    {
        await notifications.MarkAllReadAsync(clock.GetUtcNow(), cancellationToken);
        TempData["toast"] = L["All notifications are marked read."].Value;
        return Redirect(returnUrl is { Length: > 0 } && Url.IsLocalUrl(returnUrl) ? returnUrl : "/notifications");
    }
}

internal sealed record NotificationsPage(IReadOnlyList<NotificationLine> Lines, Guid? Next);
