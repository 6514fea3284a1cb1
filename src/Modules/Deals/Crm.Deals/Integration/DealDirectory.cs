using Crm.Deals.Access;
using Crm.Deals.Contracts;
using Crm.Deals.Data;
using Crm.Deals.Pipelines;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;

namespace Crm.Deals.Integration;

internal sealed class DealDirectory(DealsDbContext db, DealAccess access, PipelineCatalog catalog) : IDealDirectory
{
    public async Task<DealSummary?> FindAsync(Guid dealId, CancellationToken cancellationToken = default) =>
        await SummaryAsync(await DealAccess.Within(db.Deals.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken))
            .SingleOrDefaultAsync(d => d.Id == dealId, cancellationToken), cancellationToken);

    public async Task<IReadOnlyDictionary<Guid, DealSummary>> FindManyAsync(IReadOnlyCollection<Guid> dealIds, CancellationToken cancellationToken = default)
    {
        if (dealIds.Count == 0)
        {
            return new Dictionary<Guid, DealSummary>();
        }

        var deals = await DealAccess.Within(db.Deals.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken))
            .Where(d => dealIds.Contains(d.Id)).ToListAsync(cancellationToken);
        var found = new Dictionary<Guid, DealSummary>();
        foreach (var deal in deals)
        {
            // The catalog is cached: no query per deal.
            found[deal.Id] = (await SummaryAsync(deal, cancellationToken))!;
        }

        return found;
    }

    public async Task<DealSummary?> FindByNumberAsync(string number, CancellationToken cancellationToken = default)
    {
        if (DealFilters.ParseNumber(number) is not var (year, value))
        {
            return null;
        }

        return await SummaryAsync(await DealAccess.Within(db.Deals.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken))
            .SingleOrDefaultAsync(d => d.Year == year && d.Number == value, cancellationToken), cancellationToken);
    }

    private async Task<DealSummary?> SummaryAsync(Domain.Deal? deal, CancellationToken cancellationToken)
    {
        if (deal is null)
        {
            return null;
        }

        var stage = await catalog.FindStageAsync(deal.StageId, cancellationToken);
        return new DealSummary(
            deal.Id, deal.DisplayNumber, deal.Title, deal.Amount, deal.Currency, deal.PipelineId, deal.StageId,
            stage?.Stage.Name ?? "", stage?.Stage.IsClosed ?? false, deal.OwnerId, "/deals/" + deal.Id);
    }
}

/// <summary>Other modules' lines on a deal's timeline (a mail sent), saved at once: the caller's own change is already committed.</summary>
internal sealed class DealTimelineWriter(DealsDbContext db, Audit.DealTimeline timeline) : IDealTimeline
{
    public async Task WriteAsync(DealTimelineWrite entry, CancellationToken cancellationToken = default)
    {
        timeline.Write(entry.DealId, entry.Kind, entry.Subject, entry.Text);
        await db.SaveChangesAsync(cancellationToken);
    }
}
