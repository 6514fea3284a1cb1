namespace Crm.Deals.Contracts;

/// <summary>What other modules show of a deal: number, title, amount, stage and who is responsible.</summary>
public sealed record DealSummary(
    Guid Id, string Number, string Title, decimal Amount, string Currency, Guid PipelineId, Guid StageId, string StageName, bool IsClosed, Guid OwnerId, string Url);

/// <summary>
/// Deal look-ups for other modules (a task or an invoice linked to a deal). Answers respect the current
/// user's access scope: a deal the user may not see is not found.
/// </summary>
public interface IDealDirectory
{
    Task<DealSummary?> FindAsync(Guid dealId, CancellationToken cancellationToken = default);
}
