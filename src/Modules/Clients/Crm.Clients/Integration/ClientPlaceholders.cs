using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Templates;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Integration;

/// <summary>
/// A company's, contact's or lead's placeholders for mail and scenario templates: <c>client.*</c> (name,
/// e-mail, phone: the first of each, formatted as the card shows them) and <c>owner.*</c> (name, e-mail). The
/// deal's own source reads <c>client</c> from here, so a placeholder means the same on a deal and on a card.
/// Records in the recycle bin are not found.
/// </summary>
internal abstract class ClientPlaceholders(IUserDirectory users) : IPlaceholderSource
{
    public abstract string Kind { get; }

    public IReadOnlyList<string> Names { get; } = ["client.name", "client.email", "client.phone", "owner.name", "owner.email"];

    public async Task<PlaceholderModel?> ModelAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } client)
        {
            return null;
        }

        var owner = await users.FindUserAsync(client.OwnerId, cancellationToken);
        return new PlaceholderModel()
            .Set("client", new Dictionary<string, object?>
            {
                ["id"] = id.ToString(),
                ["name"] = client.Name,
                ["email"] = client.Email,
                ["phone"] = client.Phone is { } phone ? Requisites.FormatPhone(phone) : null,
                ["url"] = client.Url,
            })
            .Set("owner", new Dictionary<string, object?> { ["name"] = owner?.FullName, ["email"] = owner?.Email });
    }

    protected abstract Task<ClientFields?> FindAsync(Guid id, CancellationToken cancellationToken);

    protected sealed record ClientFields(string Name, string? Email, string? Phone, Guid OwnerId, string Url);
}

internal sealed class CompanyPlaceholders(ClientsDbContext db, IUserDirectory users) : ClientPlaceholders(users)
{
    public override string Kind => EntityKinds.Company;

    protected override async Task<ClientFields?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Companies.AsNoTracking().Where(c => c.Id == id && c.DeletedAt == null)
            .Select(c => new ClientFields(c.Name, c.Emails.Count > 0 ? c.Emails[0] : null, c.Phones.Count > 0 ? c.Phones[0] : null, c.OwnerId, "/companies/" + c.Id))
            .SingleOrDefaultAsync(cancellationToken);
}

internal sealed class ContactPlaceholders(ClientsDbContext db, IUserDirectory users) : ClientPlaceholders(users)
{
    public override string Kind => EntityKinds.Contact;

    protected override async Task<ClientFields?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Contacts.AsNoTracking().Where(c => c.Id == id && c.DeletedAt == null)
            .Select(c => new ClientFields(c.FullName, c.Emails.Count > 0 ? c.Emails[0] : null, c.Phones.Count > 0 ? c.Phones[0] : null, c.OwnerId, "/contacts/" + c.Id))
            .SingleOrDefaultAsync(cancellationToken);
}

internal sealed class LeadPlaceholders(ClientsDbContext db, IUserDirectory users) : ClientPlaceholders(users)
{
    public override string Kind => EntityKinds.Lead;

    protected override async Task<ClientFields?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Leads.AsNoTracking().Where(l => l.Id == id && l.DeletedAt == null)
            .Select(l => new ClientFields(l.Name, l.Email, l.Phone, l.OwnerId, "/leads/" + l.Id))
            .SingleOrDefaultAsync(cancellationToken);
}
