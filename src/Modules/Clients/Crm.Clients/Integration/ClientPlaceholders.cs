using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Templates;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Integration;

/// <summary>
/// A company's, contact's or lead's placeholders for mail and scenario templates: <c>client.*</c> (name,
/// e-mail, phone: the first of each, formatted as the card shows them), <c>owner.*</c> (name, e-mail, and the
/// id and department scenario rules address) and, for a lead, <c>lead.*</c> (its own fields). The
/// deal's own source reads <c>client</c> from here, so a placeholder means the same on a deal and on a card.
/// Records in the recycle bin are not found.
/// </summary>
internal abstract class ClientPlaceholders(IUserDirectory users) : IPlaceholderSource
{
    public abstract string Kind { get; }

    public virtual IReadOnlyList<string> Names { get; } = ["client.name", "client.email", "client.phone", "owner.name", "owner.email"];

    public async Task<PlaceholderModel?> ModelAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } client)
        {
            return null;
        }

        var owner = await users.FindUserAsync(client.OwnerId, cancellationToken);
        var model = new PlaceholderModel()
            .Set("client", new Dictionary<string, object?>
            {
                ["id"] = id.ToString(),
                ["name"] = client.Name,
                ["email"] = client.Email,
                ["phone"] = client.Phone is { } phone ? Requisites.FormatPhone(phone) : null,
                ["url"] = client.Url,
            })
            .Set("owner", new Dictionary<string, object?>
            {
                ["id"] = client.OwnerId.ToString(),
                ["name"] = owner?.FullName,
                ["email"] = owner?.Email,
                ["department_id"] = client.OwnerDepartmentId.ToString(),
            });
        return client.Own is { } own ? model.Set(Kind, own) : model;
    }

    protected abstract Task<ClientFields?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <param name="Own">The record's own section (<c>lead.*</c>), named by its kind; null for none.</param>
    protected sealed record ClientFields(string Name, string? Email, string? Phone, Guid OwnerId, Guid OwnerDepartmentId, string Url, IReadOnlyDictionary<string, object?>? Own = null);
}

internal sealed class CompanyPlaceholders(ClientsDbContext db, IUserDirectory users) : ClientPlaceholders(users)
{
    public override string Kind => EntityKinds.Company;

    protected override async Task<ClientFields?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Companies.AsNoTracking().Where(c => c.Id == id && c.DeletedAt == null)
            .Select(c => new ClientFields(c.Name, c.Emails.Count > 0 ? c.Emails[0] : null, c.Phones.Count > 0 ? c.Phones[0] : null, c.OwnerId, c.OwnerDepartmentId, "/companies/" + c.Id, null))
            .SingleOrDefaultAsync(cancellationToken);
}

internal sealed class ContactPlaceholders(ClientsDbContext db, IUserDirectory users) : ClientPlaceholders(users)
{
    public override string Kind => EntityKinds.Contact;

    protected override async Task<ClientFields?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Contacts.AsNoTracking().Where(c => c.Id == id && c.DeletedAt == null)
            .Select(c => new ClientFields(c.FullName, c.Emails.Count > 0 ? c.Emails[0] : null, c.Phones.Count > 0 ? c.Phones[0] : null, c.OwnerId, c.OwnerDepartmentId, "/contacts/" + c.Id, null))
            .SingleOrDefaultAsync(cancellationToken);
}

internal sealed class LeadPlaceholders(ClientsDbContext db, IUserDirectory users) : ClientPlaceholders(users)
{
    public override string Kind => EntityKinds.Lead;

    public override IReadOnlyList<string> Names { get; } =
    [
        "lead.name", "lead.company_name", "lead.phone", "lead.email", "lead.source", "lead.status", "lead.url",
        "client.name", "client.email", "client.phone", "owner.name", "owner.email",
    ];

    protected override async Task<ClientFields?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.AsNoTracking().SingleOrDefaultAsync(l => l.Id == id && l.DeletedAt == null, cancellationToken);
        return lead is null ? null : new ClientFields(lead.Name, lead.Email, lead.Phone, lead.OwnerId, lead.OwnerDepartmentId, "/leads/" + lead.Id, new Dictionary<string, object?>
        {
            ["id"] = lead.Id.ToString(),
            ["name"] = lead.Name,
            ["company_name"] = lead.CompanyName,
            ["phone"] = lead.Phone is { } phone ? Requisites.FormatPhone(phone) : null,
            ["email"] = lead.Email,
            ["source"] = lead.Source.ToString(),
            ["status"] = lead.Status.ToString(),
            ["url"] = "/leads/" + lead.Id,
        });
    }
}
