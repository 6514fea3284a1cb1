using System.Linq.Expressions;
using Crm.Clients.Access;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Integration;

/// <summary>
/// What the header box understands: a fragment of a name or e-mail, 4 or more digits of a phone, an
/// INN. Names are matched literally ("contains", a trigram index makes it fast even at a million rows);
/// when nothing anywhere matches literally, the host asks for the typo-tolerant pass (word similarity,
/// the same index), so "Ромашкаа" still finds "Ромашка". Hits stay within the user's view scope.
/// </summary>
internal static class ClientSearch
{
    public const int MinimumLength = 3;

    public static string Digits(string query) => new(query.Where(char.IsAsciiDigit).ToArray());

    public static string Like(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>A query that is mostly digits is a phone or INN fragment, not a name.</summary>
    public static bool LooksLikeNumber(string query) => Digits(query).Length >= 4 && Digits(query).Length * 2 > query.Length;

    /// <summary>
    /// Literal matches by best word similarity, or near matches (typos) when asked for those. The typo
    /// pass is skipped when the text matches literally somewhere out of the user's reach: then it is no
    /// typo, and the similarity scan (the slow part at a million rows) would find nothing the user may
    /// see anyway. Nothing leaks: the answer is empty either way.
    /// </summary>
    public static async Task<List<SearchHit>> ByTextAsync<T>(
        SearchMode mode,
        IQueryable<T> everyone,
        IQueryable<T> scoped,
        Expression<Func<T, bool>> literal,
        Expression<Func<T, bool>> similar,
        Expression<Func<T, double>> similarity,
        Expression<Func<T, SearchHit>> hit,
        int limit,
        CancellationToken cancellationToken)
    {
        // A count, not EXISTS: with a LIMIT the planner bets on a sequential scan finding a row early,
        // which for a fragment that matches nothing reads the whole table (seconds at a million rows).
#pragma warning disable CA1828 // AnyAsync is exactly the EXISTS the comment above warns about.
        if (mode == SearchMode.Fuzzy && await everyone.Where(literal).CountAsync(cancellationToken) > 0)
#pragma warning restore CA1828
        {
            return [];
        }

        return await scoped.Where(mode == SearchMode.Literal ? literal : similar)
            .OrderByDescending(similarity).Take(limit).Select(hit).ToListAsync(cancellationToken);
    }
}

internal sealed class CompanySearchProvider(ClientsDbContext db, ClientAccess access, IStringLocalizer<ClientsStrings> L) : IGlobalSearchProvider
{
    public int Order => 110;

    public async Task<SearchGroup> SearchAsync(string query, SearchMode mode, int limit, CancellationToken cancellationToken)
    {
        var group = new SearchGroup("companies", L["Companies"], []);
        if (query.Length < ClientSearch.MinimumLength)
        {
            return group;
        }

        var companies = ClientAccess.Within(db.Companies.AsNoTracking(), await access.FilterAsync(ClientKind.Company, AccessAction.View, cancellationToken));
        if (ClientSearch.LooksLikeNumber(query))
        {
            if (mode == SearchMode.Fuzzy)
            {
                return group;
            }

            var digits = ClientSearch.Digits(query);
            var fragment = "%" + digits + "%";
            return group with
            {
                Hits = await companies.Where(c => c.Inn == digits || EF.Functions.Like(c.PhoneDigits, fragment))
                    .OrderBy(c => c.PhoneDigits).Take(limit).Select(c => new SearchHit(c.Name, c.Inn, "/companies/" + c.Id)).ToListAsync(cancellationToken),
            };
        }

        var contains = "%" + ClientSearch.Like(query) + "%";
        var lower = query.ToLowerInvariant();
        return group with
        {
            Hits = await ClientSearch.ByTextAsync(
                mode,
                db.Companies.AsNoTracking().Where(c => c.DeletedAt == null),
                companies,
                c => EF.Functions.ILike(c.Name, contains, "\\") || EF.Functions.ILike(c.EmailsText, contains, "\\"),
                c => EF.Functions.TrigramsAreWordSimilar(lower, c.Name),
                c => EF.Functions.TrigramsWordSimilarity(lower, c.Name),
                c => new SearchHit(c.Name, c.Inn, "/companies/" + c.Id),
                limit,
                cancellationToken),
        };
    }
}

internal sealed class ContactSearchProvider(ClientsDbContext db, ClientAccess access, IStringLocalizer<ClientsStrings> L) : IGlobalSearchProvider
{
    public int Order => 120;

    public async Task<SearchGroup> SearchAsync(string query, SearchMode mode, int limit, CancellationToken cancellationToken)
    {
        var group = new SearchGroup("contacts", L["Contacts"], []);
        if (query.Length < ClientSearch.MinimumLength)
        {
            return group;
        }

        var contacts = ClientAccess.Within(db.Contacts.AsNoTracking(), await access.FilterAsync(ClientKind.Contact, AccessAction.View, cancellationToken));
        if (ClientSearch.LooksLikeNumber(query))
        {
            if (mode == SearchMode.Fuzzy)
            {
                return group;
            }

            var fragment = "%" + ClientSearch.Digits(query) + "%";
            return group with
            {
                Hits = await contacts.Where(c => EF.Functions.Like(c.PhoneDigits, fragment)).OrderBy(c => c.PhoneDigits).Take(limit)
                    .Select(c => new SearchHit(c.FullName, c.Position, "/contacts/" + c.Id)).ToListAsync(cancellationToken),
            };
        }

        var contains = "%" + ClientSearch.Like(query) + "%";
        var lower = query.ToLowerInvariant();
        return group with
        {
            Hits = await ClientSearch.ByTextAsync(
                mode,
                db.Contacts.AsNoTracking().Where(c => c.DeletedAt == null),
                contacts,
                c => EF.Functions.ILike(c.FullName, contains, "\\") || EF.Functions.ILike(c.EmailsText, contains, "\\"),
                c => EF.Functions.TrigramsAreWordSimilar(lower, c.FullName),
                c => EF.Functions.TrigramsWordSimilarity(lower, c.FullName),
                c => new SearchHit(c.FullName, c.Position, "/contacts/" + c.Id),
                limit,
                cancellationToken),
        };
    }
}

internal sealed class LeadSearchProvider(ClientsDbContext db, ClientAccess access, IStringLocalizer<ClientsStrings> L) : IGlobalSearchProvider
{
    public int Order => 100;

    public async Task<SearchGroup> SearchAsync(string query, SearchMode mode, int limit, CancellationToken cancellationToken)
    {
        var group = new SearchGroup("leads", L["Leads"], []);
        if (query.Length < ClientSearch.MinimumLength)
        {
            return group;
        }

        var leads = ClientAccess.Within(db.Leads.AsNoTracking(), await access.FilterAsync(ClientKind.Lead, AccessAction.View, cancellationToken))
            .Where(l => l.Status != LeadStatus.Converted);
        if (ClientSearch.LooksLikeNumber(query))
        {
            if (mode == SearchMode.Fuzzy)
            {
                return group;
            }

            var fragment = "%" + ClientSearch.Digits(query) + "%";
            return group with
            {
                Hits = await leads.Where(l => EF.Functions.Like(l.PhoneDigits, fragment)).OrderBy(l => l.PhoneDigits).Take(limit)
                    .Select(l => new SearchHit(l.Name, l.CompanyName, "/leads/" + l.Id)).ToListAsync(cancellationToken),
            };
        }

        var contains = "%" + ClientSearch.Like(query) + "%";
        var lower = query.ToLowerInvariant();
        return group with
        {
            Hits = await ClientSearch.ByTextAsync(
                mode,
                db.Leads.AsNoTracking().Where(l => l.DeletedAt == null && l.Status != LeadStatus.Converted),
                leads,
                l => EF.Functions.ILike(l.Name, contains, "\\") || EF.Functions.ILike(l.Email!, contains, "\\"),
                l => EF.Functions.TrigramsAreWordSimilar(lower, l.Name),
                l => EF.Functions.TrigramsWordSimilarity(lower, l.Name),
                l => new SearchHit(l.Name, l.CompanyName, "/leads/" + l.Id),
                limit,
                cancellationToken),
        };
    }
}
