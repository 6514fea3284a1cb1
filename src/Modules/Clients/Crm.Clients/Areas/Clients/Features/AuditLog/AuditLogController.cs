using Crm.Clients.Audit;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Areas.Clients.Features.AuditLog;

/// <summary>
/// The Clients audit log for administrators: newest first, 50 lines a page by keyset over (at, id),
/// filtered by action and user; a line links to its record while the record (or the one it was merged
/// into) still exists.
/// </summary>
[Area("Clients")]
[Route("admin/audit")]
[Authorize(Roles = BuiltInRoles.Admin)]
internal sealed class AuditLogController(ClientsDbContext db, IUserDirectory users, ICurrentUser currentUser) : Controller
{
    public const int PageSize = 50;

    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] AuditQuery query, CancellationToken cancellationToken)
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
        var page = new AuditPage(query, rows, next, await LinkableAsync(rows, cancellationToken), currentUser.TimeZone)
        {
            Users = Request.Headers.ContainsKey("HX-Request") ? [] : await users.GetActiveUsersAsync(cancellationToken: cancellationToken),
        };
        return Request.Headers.ContainsKey("HX-Request") ? PartialView("_Rows", page) : View(page);
    }

    /// <summary>The records of these lines that can still be opened: live ones, and ids merged into another record (their card redirects).</summary>
    private async Task<IReadOnlySet<Guid>> LinkableAsync(IReadOnlyList<AuditEntry> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Where(r => r.RecordId is not null && r.RecordKind is not null).Select(r => r.RecordId!.Value).Distinct().ToArray();
        if (ids.Length == 0)
        {
            return new HashSet<Guid>();
        }

        var found = new HashSet<Guid>();
        found.UnionWith(await db.Companies.Where(c => ids.Contains(c.Id) && c.DeletedAt == null).Select(c => c.Id).ToListAsync(cancellationToken));
        found.UnionWith(await db.Contacts.Where(c => ids.Contains(c.Id) && c.DeletedAt == null).Select(c => c.Id).ToListAsync(cancellationToken));
        found.UnionWith(await db.Leads.Where(l => ids.Contains(l.Id) && l.DeletedAt == null).Select(l => l.Id).ToListAsync(cancellationToken));
        found.UnionWith(await db.MergedRecords.Where(m => ids.Contains(m.RemovedId)).Select(m => m.RemovedId).ToListAsync(cancellationToken));
        return found;
    }
}

internal sealed class AuditQuery
{
    public string? Action { get; set; }

    public Guid? User { get; set; }

    public Guid? After { get; set; }

    public string QueryString(Guid? after) =>
        $"?action={Uri.EscapeDataString(Action ?? "")}&user={User}" + (after is null ? "" : $"&after={after}");

    public bool IsFiltered => !string.IsNullOrEmpty(Action) || User is not null;
}

internal sealed record AuditPage(AuditQuery Query, IReadOnlyList<AuditEntry> Rows, Guid? NextAfter, IReadOnlySet<Guid> Linkable, TimeZoneInfo TimeZone)
{
    public IReadOnlyList<UserSummary> Users { get; init; } = [];

    public string Local(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, TimeZone).ToString("g", System.Globalization.CultureInfo.CurrentCulture);

    public string? RecordUrl(AuditEntry row) =>
        row is { RecordId: { } id, RecordKind: { } kind } && Linkable.Contains(id) ? $"/{Shared.CardContext.Path(kind)}/{id}" : null;

    public static IReadOnlyList<string> Actions => ClientAudit.Actions.All;
}
