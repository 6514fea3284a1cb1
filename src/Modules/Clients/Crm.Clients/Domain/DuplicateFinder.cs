using Crm.Clients.Access;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Integration;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Domain;

/// <param name="Reason">"inn", "phone", "email" or "name": what matched.</param>
internal sealed record DuplicateCandidate(Guid Id, string Name, string Url, string Reason);

/// <summary>Possible duplicates: the ones the user may open, and how many more belong to colleagues out of reach.</summary>
internal sealed record Duplicates(IReadOnlyList<DuplicateCandidate> Visible, int Hidden)
{
    public static readonly Duplicates None = new([], 0);

    public bool Any => Visible.Count > 0 || Hidden > 0;
}

/// <summary>
/// Finds records that look like the one being saved: the same INN, a shared phone (by its digits) or
/// e-mail, a similar name (trigram similarity). Each test is its own small query on its own index, so
/// the check stays quick at a million rows; the matches are then narrowed to the user's scope. Records
/// out of reach are counted, never shown.
/// </summary>
internal sealed class DuplicateFinder(ClientsDbContext db, ClientAccess access)
{
    private const int PerTest = 20;
    private const int Shown = 5;

    // pg_trgm's % operator (0.3, index-backed) narrows the candidates; a name only counts as a likely
    // duplicate from 0.6 on, or every "ООО «... Трейд»" would warn about every other.
    private const double NameSimilarity = 0.6;

    public async Task<Duplicates> ForCompanyAsync(Company company, CancellationToken cancellationToken)
    {
        var live = db.Companies.AsNoTracking().Where(c => c.DeletedAt == null && c.Id != company.Id);
        var tests = new List<(string Reason, IQueryable<Company> Query)>();
        if (company.Inn is { } inn)
        {
            tests.Add(("inn", live.Where(c => c.Inn == inn)));
        }

        tests.AddRange(company.Phones.Select(p => ("phone", live.Where(c => EF.Functions.Like(c.PhoneDigits, "%" + ClientSearch.Digits(p) + "%")))));
        tests.AddRange(company.Emails.Select(e => ("email", live.Where(c => EF.Functions.Like(c.EmailsText, "%" + ClientSearch.Like(e) + "%", "\\")))));
        var name = company.Name.ToLowerInvariant();
        tests.Add(("name", live.Where(c => EF.Functions.TrigramsAreSimilar(c.Name, name) && EF.Functions.TrigramsSimilarity(c.Name, name) >= NameSimilarity)));
        return await FindAsync(tests, db.Companies, ClientKind.Company, cancellationToken);
    }

    public async Task<Duplicates> ForContactAsync(Contact contact, CancellationToken cancellationToken)
    {
        var live = db.Contacts.AsNoTracking().Where(c => c.DeletedAt == null && c.Id != contact.Id);
        var tests = new List<(string Reason, IQueryable<Contact> Query)>();
        tests.AddRange(contact.Phones.Select(p => ("phone", live.Where(c => EF.Functions.Like(c.PhoneDigits, "%" + ClientSearch.Digits(p) + "%")))));
        tests.AddRange(contact.Emails.Select(e => ("email", live.Where(c => EF.Functions.Like(c.EmailsText, "%" + ClientSearch.Like(e) + "%", "\\")))));
        var name = contact.FullName.ToLowerInvariant();
        tests.Add(("name", live.Where(c => EF.Functions.TrigramsAreSimilar(c.FullName, name) && EF.Functions.TrigramsSimilarity(c.FullName, name) >= NameSimilarity)));
        return await FindAsync(tests, db.Contacts, ClientKind.Contact, cancellationToken);
    }

    private async Task<Duplicates> FindAsync<T>(
        List<(string Reason, IQueryable<T> Query)> tests,
        IQueryable<T> table,
        ClientKind kind,
        CancellationToken cancellationToken)
        where T : ClientRecord
    {
        var reasons = new Dictionary<Guid, string>();
        foreach (var (reason, query) in tests)
        {
            foreach (var id in await query.Select(r => r.Id).Take(PerTest).ToListAsync(cancellationToken))
            {
                reasons.TryAdd(id, reason);
            }
        }

        if (reasons.Count == 0)
        {
            return Duplicates.None;
        }

        var ids = reasons.Keys.ToArray();
        var filter = await access.FilterAsync(kind, AccessAction.View, cancellationToken);
        var visible = await ClientAccess.Within(table.AsNoTracking().Where(r => ids.Contains(r.Id)), filter).ToListAsync(cancellationToken);
        return new Duplicates(
            visible.OrderBy(v => ReasonRank(reasons[v.Id])).Take(Shown)
                .Select(v => new DuplicateCandidate(v.Id, v.DisplayName, $"/{Areas.Clients.Features.Shared.CardContext.Path(kind)}/{v.Id}", reasons[v.Id]))
                .ToList(),
            ids.Length - visible.Count);
    }

    /// <summary>The strongest evidence first: an INN, a phone, an e-mail, then a name that only looks alike.</summary>
    private static int ReasonRank(string reason) => reason switch
    {
        "inn" => 0,
        "phone" => 1,
        "email" => 2,
        _ => 3,
    };
}
