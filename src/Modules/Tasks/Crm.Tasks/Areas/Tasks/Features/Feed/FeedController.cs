using Crm.SharedKernel.Access;
using Crm.Tasks.Feed;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Crm.Tasks.Areas.Tasks.Features.Feed;

/// <summary>The calendar subscription page: the state of the user's private feed, and the new URL once, right after it is made.</summary>
internal sealed record FeedPage(DateTimeOffset? CreatedAt, string? NewUrl);

/// <summary>
/// Where a user makes their private iCalendar feed URL, makes a new one (the old stops working) or revokes
/// it. The URL is shown only in the answer to the post that made it: it is never stored in the clear.
/// </summary>
[Area("Tasks")]
[Authorize]
[Route("tasks/feed")]
internal sealed class FeedController(CalendarFeeds feeds, ICurrentUser currentUser, IStringLocalizer<TasksStrings> strings) : Controller
{
    private IStringLocalizer<TasksStrings> L => strings;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        ViewData["Title"] = L["Calendar subscription"].Value;
        return View("Index", new FeedPage(await feeds.CreatedAtAsync(currentUser.Id, cancellationToken), null));
    }

    [HttpPost("")]
    public async Task<IActionResult> Create(CancellationToken cancellationToken)
    {
        var token = await feeds.CreateAsync(currentUser.Id, cancellationToken);
        var url = $"{Request.Scheme}://{Request.Host}{Request.PathBase}/calendar/{token}.ics";
        ViewData["Title"] = L["Calendar subscription"].Value;
        // Never cached: the answer carries the secret.
        Response.Headers.CacheControl = "no-store";
        return View("Index", new FeedPage(await feeds.CreatedAtAsync(currentUser.Id, cancellationToken), url));
    }

    [HttpPost("revoke")]
    public async Task<IActionResult> Revoke(CancellationToken cancellationToken)
    {
        TempData["toast"] = await feeds.RevokeAsync(currentUser.Id, cancellationToken)
            ? L["The calendar link was revoked: it no longer works."].Value
            : L["You had no calendar link."].Value;
        return Redirect("/tasks/feed");
    }
}
