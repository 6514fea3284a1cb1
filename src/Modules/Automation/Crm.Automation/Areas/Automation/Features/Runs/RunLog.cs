using Crm.Automation.Data;
using Crm.Automation.Domain;
using Crm.Deals.Contracts;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;

namespace Crm.Automation.Areas.Automation.Features.Runs;

/// <summary>A run as the log shows it: with its actions in order, its deal (a deal's run; null when gone) and who made the change that started it.</summary>
internal sealed record RunLine(ScenarioRun Run, IReadOnlyList<ActionRun> Actions, DealSummary? Deal, string? ActorName)
{
    /// <summary>The card of the run's record (a deal, a lead, a task).</summary>
    public string RecordUrl => Running.ActionEffects.RecordUrl(Run.RecordKind, Run.RecordId);
}

/// <summary>
/// Reads the run log for the page, the deal card's panel and the API: a page of runs (one query on the
/// runs' index), their actions (one query), their deals (one look-up in Deals) and actors (one in Identity).
/// </summary>
internal sealed class RunLog(AutomationDbContext db, IDealDirectory deals, IUserDirectory users)
{
    public const int PageSize = 30;

    public async Task<(IReadOnlyList<RunLine> Lines, string? NextCursor)> PageAsync(RunLogQuery query, int take, CancellationToken cancellationToken)
    {
        var runs = await query.Apply(db.Runs.AsNoTracking()).Take(take + 1).ToListAsync(cancellationToken);
        var next = runs.Count > take ? RunLogQuery.CursorAfter(runs[take - 1]) : null;
        return (await LinesAsync(runs.Take(take).ToList(), cancellationToken), next);
    }

    /// <summary>The deal's latest runs, for its card.</summary>
    public async Task<IReadOnlyList<RunLine>> OfDealAsync(Guid dealId, int take, CancellationToken cancellationToken) =>
        await LinesAsync(
            await db.Runs.AsNoTracking().Where(r => r.RecordKind == EntityKinds.Deal && r.RecordId == dealId).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(take).ToListAsync(cancellationToken),
            cancellationToken);

    /// <summary>The scenarios to filter by, by name (deleted ones' runs are still found by their id).</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> ScenariosAsync(CancellationToken cancellationToken) =>
        (await db.Scenarios.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).ToListAsync(cancellationToken))
            .Select(s => (s.Id, s.Name)).ToList();

    private async Task<IReadOnlyList<RunLine>> LinesAsync(List<ScenarioRun> runs, CancellationToken cancellationToken)
    {
        if (runs.Count == 0)
        {
            return [];
        }

        var runIds = runs.Select(r => r.Id).ToList();
        var actions = (await db.ActionRuns.AsNoTracking().Where(a => runIds.Contains(a.RunId)).OrderBy(a => a.RunId).ThenBy(a => a.Position).ToListAsync(cancellationToken))
            .ToLookup(a => a.RunId);
        var dealsFound = await deals.FindManyAsync(runs.Select(r => r.DealId).OfType<Guid>().Distinct().ToList(), cancellationToken);
        var actors = await users.GetUsersAsync(runs.Select(r => r.ActorId).OfType<Guid>().Distinct(), cancellationToken);
        return runs.Select(r => new RunLine(
            r,
            actions[r.Id].ToList(),
            r.DealId is { } dealId ? dealsFound.GetValueOrDefault(dealId) : null,
            r.ActorId is { } actor ? actors.GetValueOrDefault(actor)?.FullName : null)).ToList();
    }
}
