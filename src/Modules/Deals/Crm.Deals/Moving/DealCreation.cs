using Crm.Deals.Audit;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.SharedKernel.Access;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Moving;

/// <summary>
/// What every new deal gets, whichever channel creates it (form, API, import, demo data): its number,
/// its first stay in the stage history, a timeline line and an audit line, and after the save a line on
/// its client's card.
/// </summary>
internal sealed class DealCreation(DealsDbContext db, DealAudit audit, DealTimeline timeline, Outbox.DealOutbox outbox, ICurrentUser currentUser, TimeProvider clock, IStringLocalizer<DealsStrings> L)
{
    /// <summary>The stage a new deal starts in when none is chosen: the pipeline's first ordinary open stage.</summary>
    public static Stage FirstStage(Pipeline pipeline) =>
        pipeline.Stages.Where(s => s.Kind == StageKind.Open && !s.IsPause).OrderBy(s => s.Position).FirstOrDefault() ?? pipeline.Stages[0];

    /// <summary>Adds the deal with what it gets, saves, then tells its client's card (a failure there is only logged).</summary>
    public async Task SaveAsync(Deal deal, Stage stage, string channel, CancellationToken cancellationToken)
    {
        await AddAsync(deal, stage, channel, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        outbox.Kick();
        await timeline.TellClientAsync(deal, L["Deal «{0}» created in «{1}»", deal.Title, stage.Name], cancellationToken);
    }

    /// <summary>Adds the deal and what it gets to the context, for a caller that saves many together (no client lines then).</summary>
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
        timeline.Write(deal.Id, "created", L["Deal created"], stage.Name, now);
        audit.Record(DealAudit.Actions.Created, deal.Id, $"{deal.DisplayNumber} «{deal.Title}» ({channel})");
        // Scenarios hear of it: created, and entered its first stage (a scenario "on entering New" meets new deals too).
        outbox.Add(deal, Contracts.DealTriggerKinds.Created, channel);
        outbox.AddMove(deal, stage, channel, depth: 0);
    }
}
