using Crm.CustomFields.Contracts;
using Crm.Deals.Access;
using Crm.Deals.Audit;
using Crm.Deals.Contracts;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Moving;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Integration;

/// <summary>
/// What scenarios do to deals, through the channels people use: moves through <see cref="DealMover"/> (stage
/// rules, required fields, the history, the next trigger with its depth), fields through the same setters
/// as the form and the stage dialog, within the acting user's Edit scope, audited as "scenario".
/// </summary>
internal sealed class DealActions(
    DealsDbContext db,
    DealMover mover,
    DealAccess access,
    ICustomFields customFields,
    DealAudit audit,
    DealTimeline timeline,
    TimeProvider clock,
    IStringLocalizer<DealsStrings> L) : IDealActions
{
    public async Task<DealActionResult> MoveAsync(Guid dealId, Guid stageId, int depth, CancellationToken cancellationToken)
    {
        var result = await mover.MoveAsync(new MoveCommand(dealId, stageId, MoveChannels.Scenario, Depth: depth), cancellationToken);
        return new DealActionResult(result.Succeeded, result.Outcome == MoveOutcome.Unchanged ? L["The deal is already in this stage."] : result.Message ?? L["Moved"]);
    }

    public async Task<DealActionResult> SetFieldAsync(Guid dealId, string key, string? value, CancellationToken cancellationToken)
    {
        var deal = await DealAccess.Within(db.Deals, await access.FilterAsync(AccessAction.Edit, cancellationToken))
            .SingleOrDefaultAsync(d => d.Id == dealId, cancellationToken);
        if (deal is null)
        {
            return new DealActionResult(false, L["The deal was not found or you may not change it."]);
        }

        if (key.StartsWith(RequirableField.CustomPrefix, StringComparison.Ordinal))
        {
            var set = await customFields.ForAsync(EntityKinds.Deal, deal.PipelineId.ToString(), cancellationToken);
            var errors = new Dictionary<string, string>(StringComparer.Ordinal);
            var parsed = set.Parse(new Dictionary<string, string?> { [key[RequirableField.CustomPrefix.Length..]] = value }, deal.CustomFields, partial: true, errors);
            if (errors.Count > 0 || parsed is null)
            {
                return new DealActionResult(false, errors.Values.FirstOrDefault() ?? L["There is no such field."]);
            }

            deal.CustomFields = parsed;
        }
        else if (DealFields.Find(key) is { } standard)
        {
            if (standard.Set(deal, value ?? "") is { } problem)
            {
                return new DealActionResult(false, L[problem]);
            }
        }
        else
        {
            return new DealActionResult(false, L["There is no such field."]);
        }

        var now = clock.GetUtcNow();
        deal.UpdatedAt = now;
        var summary = $"{key} = {value}";
        audit.Record(DealAudit.Actions.Changed, deal.Id, $"{summary} ({MoveChannels.Scenario})");
        timeline.Write(deal.Id, "changed", L["Changed by a scenario"], summary, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A person saved the deal meanwhile: the action fails and is retried on the fresh deal.
            db.ChangeTracker.Clear();
            return new DealActionResult(false, L["Someone else changed this deal meanwhile. Reload to see their changes."]);
        }

        return new DealActionResult(true, summary);
    }

    public Task<bool> IsInStageAsync(Guid dealId, Guid stageId, CancellationToken cancellationToken) =>
        db.Deals.AnyAsync(d => d.Id == dealId && d.StageId == stageId && d.DeletedAt == null, cancellationToken);
}
