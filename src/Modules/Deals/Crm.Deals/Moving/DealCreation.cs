using Crm.Deals.Audit;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.SharedKernel.Access;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Moving;

/// <summary>
/// What every new deal gets, whichever channel creates it (form, API, import, demo data): its number,
/// its first stay in the stage history, a timeline line and an audit line. Adds them to the context;
/// the caller saves them together with the deal.
/// </summary>
internal sealed class DealCreation(DealsDbContext db, DealAudit audit, ICurrentUser currentUser, TimeProvider clock, IStringLocalizer<DealsStrings> L)
{
    /// <summary>The stage a new deal starts in when none is chosen: the pipeline's first ordinary open stage.</summary>
    public static Stage FirstStage(Pipeline pipeline) =>
        pipeline.Stages.Where(s => s.Kind == StageKind.Open && !s.IsPause).OrderBy(s => s.Position).FirstOrDefault() ?? pipeline.Stages[0];

    public async Task AddAsync(Deal deal, Stage stage, string channel, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (deal.Id == Guid.Empty)
        {
            deal.Id = Guid.CreateVersion7();
        }

        deal.Year = now.Year;
        deal.Number = await DealNumbers.ReserveAsync(db, deal.Year, 1, cancellationToken);
        deal.PipelineId = stage.PipelineId;
        deal.StageId = stage.Id;
        deal.StageEnteredAt = now;
        deal.CreatedAt = now;
        deal.UpdatedAt = now;
        deal.ClosedAt = stage.IsClosed ? now : null;
        deal.RecalculateAmount();
        db.Deals.Add(deal);
        db.StageHistory.Add(new StageHistoryEntry
        {
            Id = Guid.CreateVersion7(),
            DealId = deal.Id,
            PipelineId = stage.PipelineId,
            StageId = stage.Id,
            EnteredAt = now,
            EnteredBy = currentUser.IsAuthenticated ? currentUser.Id : null,
            Channel = channel,
        });
        db.Timeline.Add(new DealTimelineEntry
        {
            Id = Guid.CreateVersion7(),
            DealId = deal.Id,
            Kind = "created",
            Subject = L["Deal created"],
            Text = stage.Name,
            AuthorId = currentUser.IsAuthenticated ? currentUser.Id : null,
            AuthorName = currentUser.IsAuthenticated ? currentUser.DisplayName : "",
            CreatedAt = now,
        });
        audit.Record(DealAudit.Actions.Created, deal.Id, $"{deal.DisplayNumber} «{deal.Title}» ({channel})");
    }
}
