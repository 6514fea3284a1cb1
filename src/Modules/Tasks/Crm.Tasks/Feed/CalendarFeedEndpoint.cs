using System.Security.Claims;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.Tasks.Access;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tasks.Feed;

/// <summary>
/// GET /calendar/{token}.ics: a user's open tasks and meetings as iCalendar, for Outlook and Google
/// Calendar to subscribe to. Anonymous (calendar apps send no cookie): the token is the secret. The feed
/// acts as the token's user, so the access policy decides as for that user, and it shows what their own
/// my day shows: the open tasks assigned to them. An unknown or revoked token, or a deactivated user, is 404.
/// </summary>
internal static class CalendarFeedEndpoint
{
    public const int MaxEvents = 2000;
    public static readonly TimeSpan Past = TimeSpan.FromDays(30);
    public static readonly TimeSpan Ahead = TimeSpan.FromDays(180);

    public static void MapCalendarFeed(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/calendar/{token}.ics", ServeAsync).AllowAnonymous();

    private static async Task<IResult> ServeAsync(
        string token, HttpContext http, CalendarFeeds feeds, IUserDirectory users, TaskAccess access, TasksDbContext db,
        CalendarFeedWriter writer, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await feeds.FindUserAsync(token, cancellationToken) is not { } userId
            || await users.FindUserAsync(userId, cancellationToken) is not { IsActive: true } user)
        {
            return Results.NotFound();
        }

        // Act as the token's user for this request: the access policy reads the current user.
        http.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()), new Claim(CrmClaimTypes.DisplayName, user.FullName)],
            authenticationType: "CalendarFeed"));
        var filter = await access.FilterAsync(AccessAction.View, cancellationToken);
        var now = clock.GetUtcNow();
        var from = now - Past;
        var to = now + Ahead;
        var tasks = await TaskAccess.Within(db.Tasks.AsNoTracking(), filter)
            .Where(t => t.AssigneeId == userId && t.Status == TaskState.Open && t.DueAt >= from && t.DueAt < to)
            .OrderBy(t => t.DueAt).ThenBy(t => t.Id)
            .Take(MaxEvents)
            .ToListAsync(cancellationToken);

        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        http.Response.Headers.CacheControl = "private, no-cache";
        return Results.Text(writer.Write(user.FullName, tasks, baseUrl, now), "text/calendar; charset=utf-8");
    }
}
