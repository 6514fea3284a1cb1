using Crm.Deals.Data;
using Crm.Deals.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Crm.Deals.Pipelines;

/// <summary>
/// Pipelines with their stages and the loss reasons: a few dozen rows read by every board, move and
/// list, kept in memory and dropped whenever an admin page changes them (one process serves the app,
/// so a process-local cache is exact). The objects are shared: never modify them.
/// </summary>
internal sealed class PipelineCatalog(DealsDbContext db, IMemoryCache cache)
{
    private const string PipelinesKey = "deals:pipelines";
    private const string ReasonsKey = "deals:loss-reasons";

    public async Task<IReadOnlyList<Pipeline>> PipelinesAsync(CancellationToken cancellationToken) =>
        (await cache.GetOrCreateAsync(PipelinesKey, async _ =>
        {
            var pipelines = await db.Pipelines.AsNoTracking().Include(p => p.Stages).OrderBy(p => p.Position).ThenBy(p => p.Name).ToListAsync(cancellationToken);
            foreach (var pipeline in pipelines)
            {
                pipeline.Stages = pipeline.Stages.OrderBy(s => s.Position).ToList();
            }

            return (IReadOnlyList<Pipeline>)pipelines;
        }))!;

    public async Task<Pipeline?> FindAsync(Guid pipelineId, CancellationToken cancellationToken) =>
        (await PipelinesAsync(cancellationToken)).FirstOrDefault(p => p.Id == pipelineId);

    /// <summary>A stage and its pipeline, by the stage's id.</summary>
    public async Task<(Pipeline Pipeline, Stage Stage)?> FindStageAsync(Guid stageId, CancellationToken cancellationToken)
    {
        foreach (var pipeline in await PipelinesAsync(cancellationToken))
        {
            if (pipeline.Stages.FirstOrDefault(s => s.Id == stageId) is { } stage)
            {
                return (pipeline, stage);
            }
        }

        return null;
    }

    public async Task<IReadOnlyList<LossReason>> LossReasonsAsync(CancellationToken cancellationToken) =>
        (await cache.GetOrCreateAsync(ReasonsKey, async _ =>
            (IReadOnlyList<LossReason>)await db.LossReasons.AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Name).ToListAsync(cancellationToken)))!;

    /// <summary>Call after an admin changed pipelines, stages or loss reasons.</summary>
    public void Changed()
    {
        cache.Remove(PipelinesKey);
        cache.Remove(ReasonsKey);
    }
}
