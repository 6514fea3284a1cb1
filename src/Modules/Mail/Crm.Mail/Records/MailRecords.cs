using Crm.Clients.Contracts;
using Crm.Deals.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Templates;

namespace Crm.Mail.Records;

/// <summary>A record a mail is about, as its module shows it to the current user.</summary>
internal sealed record MailRecord(string Kind, Guid Id, string Name, string Url);

/// <summary>
/// The records mail can be about (deal, company, contact, lead), reached only through their modules'
/// contracts: found within the current user's view scope (null otherwise, so a page answers 404), their
/// placeholders for templates, and their timelines.
/// </summary>
internal sealed class MailRecords(IDealDirectory deals, IClientDirectory clients, IDealTimeline dealTimeline, IClientTimeline clientTimeline, IEnumerable<IPlaceholderSource> placeholders)
{
    public static readonly IReadOnlyList<string> Kinds = [EntityKinds.Deal, EntityKinds.Company, EntityKinds.Contact, EntityKinds.Lead];

    public async Task<MailRecord?> FindAsync(string? kind, Guid id, CancellationToken cancellationToken)
    {
        if (kind == EntityKinds.Deal)
        {
            return await deals.FindAsync(id, cancellationToken) is { } deal ? new MailRecord(kind, deal.Id, $"№ {deal.Number} {deal.Title}", deal.Url) : null;
        }

        return ClientKindOf(kind) is { } clientKind && await clients.FindAsync(clientKind, id, cancellationToken) is { } client
            ? new MailRecord(kind!, client.Id, client.Name, client.Url)
            : null;
    }

    /// <summary>The record's placeholders (no access check: the caller found the record first, or is a job).</summary>
    public async Task<PlaceholderModel> ModelAsync(string kind, Guid id, CancellationToken cancellationToken) =>
        placeholders.FirstOrDefault(p => p.Kind == kind) is { } source && await source.ModelAsync(id, cancellationToken) is { } model
            ? model
            : new PlaceholderModel();

    /// <summary>Where a mail about the record goes by default: a deal's contact person, else its client; a client's own first e-mail.</summary>
    public static string? DefaultAddress(PlaceholderModel model) =>
        Text(model.Fields("contact"), "email") ?? Text(model.Fields("client"), "email");

    public async Task WriteTimelineAsync(string kind, Guid id, string subject, string? text, Guid? authorId, string link, CancellationToken cancellationToken)
    {
        if (kind == EntityKinds.Deal)
        {
            await dealTimeline.WriteAsync(new DealTimelineWrite(id, "mail", subject, text), cancellationToken);
        }
        else if (ClientKindOf(kind) is { } clientKind)
        {
            await clientTimeline.WriteAsync(new TimelineWrite(clientKind, id, "mail", subject, text, authorId, link), cancellationToken);
        }
    }

    public static string CardUrl(string kind, Guid id) => kind switch
    {
        EntityKinds.Deal => "/deals/" + id,
        EntityKinds.Company => "/companies/" + id,
        EntityKinds.Contact => "/contacts/" + id,
        _ => "/leads/" + id,
    };

    public static ClientKind? ClientKindOf(string? kind) => kind switch
    {
        EntityKinds.Company => ClientKind.Company,
        EntityKinds.Contact => ClientKind.Contact,
        EntityKinds.Lead => ClientKind.Lead,
        _ => null,
    };

    private static string? Text(IReadOnlyDictionary<string, object?>? fields, string name) =>
        fields?.GetValueOrDefault(name) is string { Length: > 0 } value ? value : null;
}
