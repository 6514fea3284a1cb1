using Crm.CustomFields.Contracts;
using Crm.Deals.Pipelines;
using Crm.SharedKernel.Access;

namespace Crm.Deals.Integration;

/// <summary>A deal field applies to every pipeline or to one: the custom-fields admin page offers the pipelines.</summary>
internal sealed class PipelineFieldScopes(PipelineCatalog catalog) : ICustomFieldScopes
{
    public string EntityKind => EntityKinds.Deal;

    public async Task<IReadOnlyList<CustomFieldScope>> ListAsync(CancellationToken cancellationToken) =>
        (await catalog.PipelinesAsync(cancellationToken)).Select(p => new CustomFieldScope(p.Id.ToString(), p.Name)).ToList();
}
