using Crm.Clients.Access;
using Crm.Clients.Areas.Clients.Features.Shared;
using Crm.Clients.Audit;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Areas.Clients.Features.RecycleBin;

/// <summary>
/// Deleted leads, companies and contacts. Whoever may edit a record may restore it; only an admin
/// purges it for good (with its links and timeline). Nothing is lost by one click.
/// </summary>
[Area("Clients")]
[Route("recycle-bin")]
[Authorize]
internal sealed class RecycleBinController(ClientsDbContext db, ClientAccess access, ClientCards cards, ClientAudit audit, IStringLocalizer<ClientsStrings> L) : Controller
{
    private const int Shown = 200;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var rows = new List<BinRow>();
        rows.AddRange(await ClientAccess.DeletedWithin(db.Leads.AsNoTracking(), await EditFilterAsync(ClientKind.Lead, cancellationToken))
            .OrderByDescending(r => r.DeletedAt).Take(Shown)
            .Select(r => new BinRow(ClientKind.Lead, r.Id, r.Name, r.OwnerId, r.DeletedAt!.Value)).ToListAsync(cancellationToken));
        rows.AddRange(await ClientAccess.DeletedWithin(db.Companies.AsNoTracking(), await EditFilterAsync(ClientKind.Company, cancellationToken))
            .OrderByDescending(r => r.DeletedAt).Take(Shown)
            .Select(r => new BinRow(ClientKind.Company, r.Id, r.Name, r.OwnerId, r.DeletedAt!.Value)).ToListAsync(cancellationToken));
        rows.AddRange(await ClientAccess.DeletedWithin(db.Contacts.AsNoTracking(), await EditFilterAsync(ClientKind.Contact, cancellationToken))
            .OrderByDescending(r => r.DeletedAt).Take(Shown)
            .Select(r => new BinRow(ClientKind.Contact, r.Id, r.FullName, r.OwnerId, r.DeletedAt!.Value)).ToListAsync(cancellationToken));
        var ordered = rows.OrderByDescending(r => r.DeletedAt).Take(Shown).ToList();
        return View(new RecycleBinPage(ordered, await cards.OwnersAsync(ordered.Select(r => r.OwnerId), cancellationToken), User.IsInRole(BuiltInRoles.Admin)));
    }

    [HttpPost("{kind}/{id:guid}/restore")]
    public async Task<IActionResult> Restore(ClientKind kind, Guid id, CancellationToken cancellationToken)
    {
        var record = await FindDeletedAsync(kind, id, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }

        record.DeletedAt = null;
        cards.Write(record, "restored", L["Restored from the recycle bin"]);
        audit.Record(ClientAudit.Actions.Restore, kind, id, null, record.DisplayName);
        await db.SaveChangesAsync(cancellationToken);
        TempData["toast"] = L["{0} restored.", record.DisplayName].Value;
        return Redirect($"/{CardContext.Path(kind)}/{id}");
    }

    [HttpPost("{kind}/{id:guid}/purge")]
    [Authorize(Roles = BuiltInRoles.Admin)]
    public async Task<IActionResult> Purge(ClientKind kind, Guid id, [FromServices] AttachmentStore store, CancellationToken cancellationToken)
    {
        var record = await FindDeletedAsync(kind, id, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }

        await db.Timeline.Where(e => e.RecordId == id).ExecuteDeleteAsync(cancellationToken);
        var files = await db.Attachments.Where(a => a.RecordId == id).ToListAsync(cancellationToken);
        db.Attachments.RemoveRange(files);
        db.Remove(record);
        // The timeline goes with the record: the log keeps who purged what.
        audit.Record(ClientAudit.Actions.Purge, kind, id, null, $"{record.DisplayName}; {files.Count} file(s)");
        await db.SaveChangesAsync(cancellationToken);
        foreach (var file in files)
        {
            store.Delete(file.StoragePath);
        }

        TempData["toast"] = L["{0} deleted for good.", record.DisplayName].Value;
        return Redirect("/recycle-bin");
    }

    private Task<AccessFilter> EditFilterAsync(ClientKind kind, CancellationToken cancellationToken) =>
        access.FilterAsync(kind, AccessAction.Edit, cancellationToken);

    private async Task<ClientRecord?> FindDeletedAsync(ClientKind kind, Guid id, CancellationToken cancellationToken)
    {
        var filter = await EditFilterAsync(kind, cancellationToken);
        return kind switch
        {
            ClientKind.Lead => await ClientAccess.DeletedWithin(db.Leads, filter).SingleOrDefaultAsync(r => r.Id == id, cancellationToken),
            ClientKind.Company => await ClientAccess.DeletedWithin(db.Companies, filter).SingleOrDefaultAsync(r => r.Id == id, cancellationToken),
            _ => await ClientAccess.DeletedWithin(db.Contacts, filter).SingleOrDefaultAsync(r => r.Id == id, cancellationToken),
        };
    }
}

internal sealed record BinRow(ClientKind Kind, Guid Id, string Name, Guid OwnerId, DateTimeOffset DeletedAt);

internal sealed record RecycleBinPage(IReadOnlyList<BinRow> Rows, IReadOnlyDictionary<Guid, Crm.Identity.Contracts.UserSummary> Owners, bool CanPurge);
