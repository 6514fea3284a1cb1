using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using AuditActions = Crm.Deals.Audit.DealAudit.Actions;

// Not "...Features.DealAudit": a namespace of that name would hide the Audit.DealAudit class from every sibling feature.
namespace Crm.Deals.Areas.Deals.Features.DealAuditLog;

/// <summary>
/// The deals audit log for administrators: newest first, 50 lines a page by keyset over (at, id),
/// filtered by action and user; a line links to its deal while the deal is not deleted.
/// </summary>
[Area("Deals")]
[Route("admin/deals-audit")]
[Authorize(Roles = BuiltInRoles.Admin)]
internal sealed class DealAuditController(DealsDbContext db, IUserDirectory users, ICurrentUser currentUser) : Controller
{
    public const int PageSize = 50;

    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] DealAuditQuery query, CancellationToken cancellationToken)
    {
        var lines = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrEmpty(query.Action))
        {
            lines = lines.Where(a => a.Action == query.Action);
        }

        if (query.User is { } userId)
        {
            lines = lines.Where(a => a.UserId == userId);
        }

        if (query.After is { } after
            && await db.AuditLog.AsNoTracking().Where(a => a.Id == after).Select(a => new { a.At, a.Id }).SingleOrDefaultAsync(cancellationToken) is { } cursor)
        {
            // Newest first: the next page is what comes before the cursor's (at, id).
            lines = lines.Where(a => EF.Functions.LessThan(ValueTuple.Create(a.At, a.Id), ValueTuple.Create(cursor.At, cursor.Id)));
        }

        var rows = await lines.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(PageSize + 1).ToListAsync(cancellationToken);
        var next = rows.Count > PageSize ? rows[PageSize - 1].Id : (Guid?)null;
        rows = rows.Take(PageSize).ToList();
        var dealIds = rows.Where(r => r.DealId is not null).Select(r => r.DealId!.Value).Distinct().ToArray();
        var live = dealIds.Length == 0
            ? new HashSet<Guid>()
            : (await db.Deals.Where(d => dealIds.Contains(d.Id) && d.DeletedAt == null).Select(d => d.Id).ToListAsync(cancellationToken)).ToHashSet();
        var partial = Request.Headers.ContainsKey("HX-Request");
        var page = new DealAuditPage(query, rows, next, live, currentUser.TimeZone)
        {
            Users = partial ? [] : await users.GetActiveUsersAsync(cancellationToken: cancellationToken),
        };
        return partial ? PartialView("_Rows", page) : View(page);
    }
}

internal sealed class DealAuditQuery
{
    public string? Action { get; set; }

    public Guid? User { get; set; }

    public Guid? After { get; set; }

    public string QueryString(Guid? after) =>
        $"?action={Uri.EscapeDataString(Action ?? "")}&user={User}" + (after is null ? "" : $"&after={after}");

    public bool IsFiltered => !string.IsNullOrEmpty(Action) || User is not null;
}

internal sealed record DealAuditPage(DealAuditQuery Query, IReadOnlyList<DealAuditEntry> Rows, Guid? NextAfter, IReadOnlySet<Guid> LiveDeals, TimeZoneInfo TimeZone)
{
    public IReadOnlyList<UserSummary> Users { get; init; } = [];

    public static IReadOnlyList<string> Actions => AuditActions.All;

    public string Local(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, TimeZone).ToString("g", System.Globalization.CultureInfo.CurrentCulture);

    public string? DealUrl(DealAuditEntry row) => row.DealId is { } id && LiveDeals.Contains(id) ? $"/deals/{id}" : null;

    /// <summary>The English text key of an action; the page translates it.</summary>
    public static string ActionText(string action) => action switch
    {
        AuditActions.Created => TextKey.Of("Created"),
        AuditActions.Changed => TextKey.Of("Changed"),
        AuditActions.Moved => TextKey.Of("Moved"),
        AuditActions.Forced => TextKey.Of("Forced move"),
        AuditActions.Reopened => TextKey.Of("Reopened"),
        AuditActions.PipelineChanged => TextKey.Of("Pipeline changed"),
        AuditActions.Reassigned => TextKey.Of("Reassigned"),
        AuditActions.Deleted => TextKey.Of("Deleted"),
        AuditActions.Export => TextKey.Of("Export"),
        AuditActions.Settings => TextKey.Of("Settings"),
        _ => action,
    };
}
