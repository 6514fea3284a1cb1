using Crm.Deals.Contracts;
using Crm.Deals.Domain;
using Crm.Deals.Pipelines;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Integration;

/// <summary>The pipelines from the in-memory catalog, and the standard fields a scenario may set.</summary>
internal sealed class PipelineDirectory(PipelineCatalog catalog, IStringLocalizer<DealsStrings> L) : IPipelineDirectory
{
    public async Task<IReadOnlyList<PipelineInfo>> ListAsync(CancellationToken cancellationToken = default) =>
        (await catalog.PipelinesAsync(cancellationToken))
            .Select(p => new PipelineInfo(p.Id, p.Name, p.Stages.Select(s => new PipelineStageInfo(s.Id, s.Name, s.Kind.ToString().ToLowerInvariant())).ToList()))
            .ToList();

    // Company and contact are linked on the card, never set from text: their setters always refuse.
    public IReadOnlyList<DealFieldInfo> SettableFields =>
        DealFields.Standard.Where(f => f.Key is not ("company" or "contact")).Select(f => new DealFieldInfo(f.Key, L[f.Label])).ToList();
}
