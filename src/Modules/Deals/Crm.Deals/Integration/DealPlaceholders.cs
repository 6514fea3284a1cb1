using Crm.CustomFields.Contracts;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Pipelines;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Deals.Integration;

/// <summary>
/// A deal's placeholders for mail and scenario templates: <c>deal.*</c> (title, number, amount, currency,
/// stage, pipeline, expected close, custom fields under <c>deal.custom.key</c>), <c>owner.*</c> (name,
/// e-mail), <c>client.*</c> (the company, else the contact, else the lead: as the deal names its client) and
/// <c>contact.*</c> (the deal's contact person, whom scenario mail goes to). Client and contact fields come
/// from the module that owns them (its own <see cref="IPlaceholderSource"/>: e-mail and phone too) when it
/// offers them, else the name the deal keeps.
/// </summary>
internal sealed class DealPlaceholders(
    DealsDbContext db,
    PipelineCatalog catalog,
    ICustomFields customFields,
    IUserDirectory users,
    IServiceProvider services) : IPlaceholderSource
{
    public string Kind => EntityKinds.Deal;

    public IReadOnlyList<string> Names { get; } =
    [
        "deal.title", "deal.number", "deal.amount", "deal.currency", "deal.stage", "deal.pipeline", "deal.expected_close",
        "deal.url", "deal.source", "deal.custom.<key>", "client.name", "client.email", "client.phone", "contact.name", "contact.email",
        "contact.phone", "owner.name", "owner.email",
    ];

    public async Task<PlaceholderModel?> ModelAsync(Guid id, CancellationToken cancellationToken)
    {
        var deal = await db.Deals.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id && d.DeletedAt == null, cancellationToken);
        if (deal is null)
        {
            return null;
        }

        var stage = await catalog.FindStageAsync(deal.StageId, cancellationToken);
        var custom = new Dictionary<string, object?>(StringComparer.Ordinal);
        var set = await customFields.ForAsync(EntityKinds.Deal, deal.PipelineId.ToString(), cancellationToken);
        foreach (var field in set.Fields)
        {
            custom[field.Key] = set.Text(field, deal.CustomFields);
        }

        var owner = await users.FindUserAsync(deal.OwnerId, cancellationToken);
        var model = new PlaceholderModel()
            .Set("deal", new Dictionary<string, object?>
            {
                ["id"] = deal.Id.ToString(),
                ["title"] = deal.Title,
                ["number"] = deal.DisplayNumber,
                ["amount"] = deal.Amount,
                ["currency"] = deal.Currency,
                ["stage"] = stage?.Stage.Name,
                ["pipeline"] = stage?.Pipeline.Name,
                ["expected_close"] = deal.ExpectedClose?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["url"] = "/deals/" + deal.Id,
                ["source"] = deal.Source?.ToString(),
                ["pipeline_id"] = deal.PipelineId.ToString(),
                ["stage_id"] = deal.StageId.ToString(),
                ["custom"] = custom,
            })
            .Set("owner", new Dictionary<string, object?>
            {
                ["id"] = deal.OwnerId.ToString(),
                ["name"] = owner?.FullName,
                ["email"] = owner?.Email,
                ["department_id"] = deal.OwnerDepartmentId.ToString(),
            });

        var client = ClientOf(deal);
        var clientFields = client is { } reference ? await ClientFieldsAsync(reference.Kind, reference.Id, cancellationToken) : null;
        model.Set("client", clientFields ?? new Dictionary<string, object?> { ["name"] = deal.ClientName });
        var contactFields = deal.ContactId is { } contact ? await ClientFieldsAsync(EntityKinds.Contact, contact, cancellationToken) : null;
        return model.Set("contact", contactFields ?? new Dictionary<string, object?> { ["name"] = deal.ContactName });
    }

    private async Task<IReadOnlyDictionary<string, object?>?> ClientFieldsAsync(string kind, Guid id, CancellationToken cancellationToken) =>
        ClientSource(kind) is { } source && await source.ModelAsync(id, cancellationToken) is { } clientModel ? clientModel.Fields("client") : null;

    private static (string Kind, Guid Id)? ClientOf(Deal deal) =>
        deal.CompanyId is { } company ? (EntityKinds.Company, company)
        : deal.ContactId is { } contact ? (EntityKinds.Contact, contact)
        : deal.LeadId is { } lead ? (EntityKinds.Lead, lead)
        : null;

    // Resolved when asked, not injected: the sources include this one.
    private IPlaceholderSource? ClientSource(string kind) =>
        services.GetServices<IPlaceholderSource>().FirstOrDefault(s => s.Kind == kind && s is not DealPlaceholders);
}
