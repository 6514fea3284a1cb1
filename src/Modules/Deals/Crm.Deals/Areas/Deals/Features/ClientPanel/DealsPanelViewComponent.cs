using Crm.Clients.Contracts;
using Crm.Deals.Access;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Pipelines;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Crm.Deals.Areas.Deals.Features.ClientPanel;

/// <summary>
/// The client card's deals panel (a <see cref="ClientCardPanel"/> for companies, contacts and leads):
/// the client's deals within the user's view scope, newest first, with a count and an add button.
/// </summary>
internal sealed class DealsPanelViewComponent(DealsDbContext db, DealAccess access, PipelineCatalog catalog, TimeProvider clock) : ViewComponent
{
    public const int Shown = 20;

    public async Task<IViewComponentResult> InvokeAsync(ClientCardSlot slot)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var deals = DealAccess.Within(db.Deals.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken));
        deals = slot.Kind switch
        {
            ClientKind.Company => deals.Where(d => d.CompanyId == slot.Id),
            ClientKind.Contact => deals.Where(d => d.ContactId == slot.Id),
            _ => deals.Where(d => d.LeadId == slot.Id),
        };
        var count = await deals.CountAsync(cancellationToken);
        var rows = await deals.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(Shown)
            .Select(d => new { d.Id, d.Title, d.Year, d.Number, d.Amount, d.Currency, d.StageId, d.StageEnteredAt })
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var items = new List<PanelDeal>(rows.Count);
        foreach (var row in rows)
        {
            // The catalog is in memory: no query per row.
            var stage = (await catalog.FindStageAsync(row.StageId, cancellationToken))?.Stage;
            items.Add(new PanelDeal(row.Id, row.Title, Deal.FormatNumber(row.Year, row.Number), row.Amount, row.Currency, stage, stage?.IsStalled(row.StageEnteredAt, now) ?? false));
        }

        var canCreate = (await access.FilterAsync(AccessAction.Create, cancellationToken)).Scope != AccessScope.None;
        var addUrl = slot.Kind switch
        {
            ClientKind.Company => "/deals/new?company=" + slot.Id,
            ClientKind.Contact => "/deals/new?contact=" + slot.Id,
            _ => "/deals/new?lead=" + slot.Id,
        };
        return View("/Areas/Deals/Features/ClientPanel/Default.cshtml", new DealsPanel(count, items, canCreate ? addUrl : null));
    }
}

internal sealed record PanelDeal(Guid Id, string Title, string Number, decimal Amount, string Currency, Stage? Stage, bool Stalled);

internal sealed record DealsPanel(int Count, IReadOnlyList<PanelDeal> Deals, string? AddUrl);
