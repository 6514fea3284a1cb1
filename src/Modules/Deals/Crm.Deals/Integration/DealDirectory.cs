using Crm.Deals.Access;
using Crm.Deals.Contracts;
using Crm.Deals.Data;
using Crm.Deals.Pipelines;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;

namespace Crm.Deals.Integration;

internal sealed class DealDirectory(DealsDbContext db, DealAccess access, PipelineCatalog catalog) : IDealDirectory
{
    public async Task<DealSummary?> FindAsync(Guid dealId, CancellationToken cancellationToken = default)
    {
        var deal = await DealAccess.Within(db.Deals.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken))
            .SingleOrDefaultAsync(d => d.Id == dealId, cancellationToken);
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
