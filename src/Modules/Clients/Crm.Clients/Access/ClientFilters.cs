using Crm.Clients.Domain;
using Crm.Clients.Integration;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Access;

/// <summary>The list filters pages and API share: a text (name or e-mail fragment, phone digits, INN), a responsible user, a tag.</summary>
internal static class ClientFilters
{
    /// <summary>"Custom field equals": jsonb containment, served by the GIN jsonb_path_ops index.</summary>
    public static IQueryable<T> Custom<T>(IQueryable<T> records, string? json)
        where T : ClientRecord =>
        json is null ? records : records.Where(r => EF.Functions.JsonContains(r.CustomFields!, json));

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

    /// <summary>Created and updated within whole days of the user's time zone, both ends included.</summary>
    public static IQueryable<T> Period<T>(IQueryable<T> records, ListPeriod period, TimeZoneInfo timeZone)
        where T : ClientRecord
    {
        if (period.CreatedFrom is { } createdFrom)
        {
            var from = StartOf(createdFrom, timeZone);
            records = records.Where(r => r.CreatedAt >= from);
        }

        if (period.CreatedTo is { } createdTo)
        {
            var to = StartOf(createdTo.AddDays(1), timeZone);
            records = records.Where(r => r.CreatedAt < to);
        }

        if (period.UpdatedFrom is { } updatedFrom)
        {
            var from = StartOf(updatedFrom, timeZone);
            records = records.Where(r => r.UpdatedAt >= from);
        }

        if (period.UpdatedTo is { } updatedTo)
        {
            var to = StartOf(updatedTo.AddDays(1), timeZone);
            records = records.Where(r => r.UpdatedAt < to);
        }

        return records;
    }

    /// <summary>Midnight of the day in the time zone, as UTC (what a timestamptz compares with).</summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo timeZone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, timeZone.GetUtcOffset(local)).ToUniversalTime();
    }
}

/// <summary>The created / updated period filter: days, inclusive, any end may be open.</summary>
internal sealed record ListPeriod(DateOnly? CreatedFrom, DateOnly? CreatedTo, DateOnly? UpdatedFrom, DateOnly? UpdatedTo)
{
    public static readonly ListPeriod None = new(null, null, null, null);

    public const string Format = "yyyy-MM-dd";

    /// <summary>
    /// Reads the four yyyy-MM-dd values; an unreadable one is left out of the period and named in
    /// <paramref name="invalid"/> (by its querystring name), so the page can say so next to the field.
    /// </summary>
    public static ListPeriod Parse(string? createdFrom, string? createdTo, string? updatedFrom, string? updatedTo, out IReadOnlyList<string> invalid)
    {
        var bad = new List<string>();
        var period = new ListPeriod(
            Day(createdFrom, "createdFrom", bad), Day(createdTo, "createdTo", bad), Day(updatedFrom, "updatedFrom", bad), Day(updatedTo, "updatedTo", bad));
        invalid = bad;
        return period;
    }

    public bool IsSet => CreatedFrom is not null || CreatedTo is not null || UpdatedFrom is not null || UpdatedTo is not null;

    /// <summary>For the audit log: "created=2026-01-01..2026-01-31", only the parts set.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (CreatedFrom is not null || CreatedTo is not null)
        {
            parts.Add($"created={Text(CreatedFrom)}..{Text(CreatedTo)}");
        }

        if (UpdatedFrom is not null || UpdatedTo is not null)
        {
            parts.Add($"updated={Text(UpdatedFrom)}..{Text(UpdatedTo)}");
        }

        return string.Join("; ", parts);
    }

    public static string Text(DateOnly? day) => day?.ToString(Format, System.Globalization.CultureInfo.InvariantCulture) ?? "";

    private static DateOnly? Day(string? value, string name, List<string> bad)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), Format, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
        {
            return day;
        }

        bad.Add(name);
        return null;
    }
}
