using Crm.Clients.Access;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Integration;

/// <summary>
/// What the header box understands: a name fragment (trigram index, so "Ромашк" finds "Ромашка" and a
/// typo still ranks close), 4 or more digits of a phone, an e-mail prefix, an INN. Hits stay within
/// the user's view scope; the best matches by name similarity come first.
/// </summary>
internal static class ClientSearch
{
    public const int MinimumLength = 3;

    public static string Digits(string query) => new(query.Where(char.IsAsciiDigit).ToArray());

    public static string Like(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>A query that is mostly digits is a phone or INN fragment, not a name.</summary>
    public static bool LooksLikeNumber(string query) => Digits(query).Length >= 4 && Digits(query).Length * 2 > query.Length;
}

internal sealed class CompanySearchProvider(ClientsDbContext db, ClientAccess access, IStringLocalizer<ClientsStrings> L) : IGlobalSearchProvider
{
    public int Order => 110;

    public async Task<SearchGroup> SearchAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var group = new SearchGroup("companies", L["Companies"], []);
        if (query.Length < ClientSearch.MinimumLength)
        {
            return group;
        }

        var companies = ClientAccess.Within(db.Companies.AsNoTracking(), await access.FilterAsync(Contracts.ClientKind.Company, AccessAction.View, cancellationToken));
        var digits = ClientSearch.Digits(query);
        if (ClientSearch.LooksLikeNumber(query))
        {
            var fragment = "%" + digits + "%";
            companies = companies.Where(c => c.Inn == digits || EF.Functions.Like(c.PhoneDigits, fragment));
            return group with { Hits = await companies.OrderBy(c => c.Name).Take(limit).Select(c => new SearchHit(c.Name, c.Inn, "/companies/" + c.Id)).ToListAsync(cancellationToken) };
        }

        var contains = "%" + ClientSearch.Like(query) + "%";
        var lower = query.ToLowerInvariant();
        var hits = await companies
            .Where(c => EF.Functions.ILike(c.Name, contains, "\\") || EF.Functions.ILike(c.EmailsText, contains, "\\") || EF.Functions.TrigramsAreWordSimilar(lower, c.Name))
            .OrderByDescending(c => EF.Functions.TrigramsWordSimilarity(lower, c.Name))
            .ThenBy(c => c.Name)
            .Take(limit)
            .Select(c => new SearchHit(c.Name, c.Inn, "/companies/" + c.Id))
            .ToListAsync(cancellationToken);
        return group with { Hits = hits };
    }
}

internal sealed class ContactSearchProvider(ClientsDbContext db, ClientAccess access, IStringLocalizer<ClientsStrings> L) : IGlobalSearchProvider
{
    public int Order => 120;

    public async Task<SearchGroup> SearchAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var group = new SearchGroup("contacts", L["Contacts"], []);
        if (query.Length < ClientSearch.MinimumLength)
        {
            return group;
        }

        var contacts = ClientAccess.Within(db.Contacts.AsNoTracking(), await access.FilterAsync(Contracts.ClientKind.Contact, AccessAction.View, cancellationToken));
        if (ClientSearch.LooksLikeNumber(query))
        {
            var fragment = "%" + ClientSearch.Digits(query) + "%";
            return group with
            {
                Hits = await contacts.Where(c => EF.Functions.Like(c.PhoneDigits, fragment)).OrderBy(c => c.FullName).Take(limit)
                    .Select(c => new SearchHit(c.FullName, c.Position, "/contacts/" + c.Id)).ToListAsync(cancellationToken),
            };
        }

        var contains = "%" + ClientSearch.Like(query) + "%";
        var lower = query.ToLowerInvariant();
        var hits = await contacts
            .Where(c => EF.Functions.ILike(c.FullName, contains, "\\") || EF.Functions.ILike(c.EmailsText, contains, "\\") || EF.Functions.TrigramsAreWordSimilar(lower, c.FullName))
            .OrderByDescending(c => EF.Functions.TrigramsWordSimilarity(lower, c.FullName))
            .ThenBy(c => c.FullName)
            .Take(limit)
            .Select(c => new SearchHit(c.FullName, c.Position, "/contacts/" + c.Id))
            .ToListAsync(cancellationToken);
        return group with { Hits = hits };
    }
}

internal sealed class LeadSearchProvider(ClientsDbContext db, ClientAccess access, IStringLocalizer<ClientsStrings> L) : IGlobalSearchProvider
{
    public int Order => 100;

    public async Task<SearchGroup> SearchAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var group = new SearchGroup("leads", L["Leads"], []);
        if (query.Length < ClientSearch.MinimumLength)
        {
            return group;
        }

        var leads = ClientAccess.Within(db.Leads.AsNoTracking(), await access.FilterAsync(Contracts.ClientKind.Lead, AccessAction.View, cancellationToken))
            .Where(l => l.Status != LeadStatus.Converted);
        if (ClientSearch.LooksLikeNumber(query))
        {
            var fragment = "%" + ClientSearch.Digits(query) + "%";
            return group with
            {
                Hits = await leads.Where(l => EF.Functions.Like(l.PhoneDigits, fragment)).OrderBy(l => l.Name).Take(limit)
                    .Select(l => new SearchHit(l.Name, l.CompanyName, "/leads/" + l.Id)).ToListAsync(cancellationToken),
            };
        }

        var contains = "%" + ClientSearch.Like(query) + "%";
        var lower = query.ToLowerInvariant();
        var hits = await leads
            .Where(l => EF.Functions.ILike(l.Name, contains, "\\") || EF.Functions.ILike(l.Email!, contains, "\\") || EF.Functions.TrigramsAreWordSimilar(lower, l.Name))
            .OrderByDescending(l => EF.Functions.TrigramsWordSimilarity(lower, l.Name))
            .ThenBy(l => l.Name)
            .Take(limit)
            .Select(l => new SearchHit(l.Name, l.CompanyName, "/leads/" + l.Id))
            .ToListAsync(cancellationToken);
        return group with { Hits = hits };
    }
}
