using Crm.Clients.Domain;
using Crm.Clients.Integration;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Access;

/// <summary>The list filters pages and API share: a text (name or e-mail fragment, phone digits, INN), a responsible user, a tag.</summary>
internal static class ClientFilters
{
    public static IQueryable<Company> Text(IQueryable<Company> companies, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return companies;
        }

        var q = text.Trim();
        var digits = ClientSearch.Digits(q);
        if (ClientSearch.LooksLikeNumber(q))
        {
            return companies.Where(c => c.Inn == digits || EF.Functions.Like(c.PhoneDigits, "%" + digits + "%"));
        }

        var contains = "%" + ClientSearch.Like(q) + "%";
        return companies.Where(c => EF.Functions.ILike(c.Name, contains, "\\") || EF.Functions.ILike(c.EmailsText, contains, "\\"));
    }

    public static IQueryable<Contact> Text(IQueryable<Contact> contacts, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return contacts;
        }

        var q = text.Trim();
        if (ClientSearch.LooksLikeNumber(q))
        {
            var fragment = "%" + ClientSearch.Digits(q) + "%";
            return contacts.Where(c => EF.Functions.Like(c.PhoneDigits, fragment));
        }

        var contains = "%" + ClientSearch.Like(q) + "%";
        return contacts.Where(c => EF.Functions.ILike(c.FullName, contains, "\\") || EF.Functions.ILike(c.EmailsText, contains, "\\"));
    }

    public static IQueryable<Lead> Text(IQueryable<Lead> leads, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return leads;
        }

        var q = text.Trim();
        if (ClientSearch.LooksLikeNumber(q))
        {
            var fragment = "%" + ClientSearch.Digits(q) + "%";
            return leads.Where(l => EF.Functions.Like(l.PhoneDigits, fragment));
        }

        var contains = "%" + ClientSearch.Like(q) + "%";
        return leads.Where(l => EF.Functions.ILike(l.Name, contains, "\\") || EF.Functions.ILike(l.Email!, contains, "\\") || EF.Functions.ILike(l.CompanyName!, contains, "\\"));
    }

    /// <summary>"Not contacted for N days": the last activity (or, with none, the creation) is older than that.</summary>
    public static IQueryable<T> Idle<T>(IQueryable<T> records, int? days, DateTimeOffset now)
        where T : ClientRecord
    {
        if (days is not { } idle || idle <= 0)
        {
            return records;
        }

        var since = now.AddDays(-idle);
        return records.Where(r => (r.LastActivityAt ?? r.CreatedAt) < since);
    }

    public static IQueryable<T> OwnerAndTag<T>(IQueryable<T> records, Guid? owner, string? tag)
        where T : ClientRecord
    {
        if (owner is { } ownerId)
        {
            records = records.Where(r => r.OwnerId == ownerId);
        }

        if (!string.IsNullOrWhiteSpace(tag))
        {
            var trimmed = tag.Trim();
            records = records.Where(r => r.Tags.Contains(trimmed));
        }

        return records;
    }
}
