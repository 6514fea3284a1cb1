using System.Globalization;
using System.Text.Encodings.Web;
using Crm.Clients.Access;
using Crm.Clients.Domain;
using Crm.Identity.Contracts;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Areas.Clients.Features.Shared;

/// <summary>
/// A column a list can show and an export can write: a stable key (remembered in the user's choice and
/// accepted by the API's columns=), its heading in the user's language, the cell's text (the export
/// writes exactly this), optionally richer HTML for the page, the sort key its header switches to, and
/// the responsive class that hides it on narrow screens. Columns are built per request, so one may come
/// from a dynamic source (a custom field) as well as from the fixed lists below.
/// </summary>
internal sealed record ListColumn<T>(string Key, string Heading, Func<T, string?> Text)
{
    public Func<T, IHtmlContent>? Html { get; init; }

    public string? Sort { get; init; }

    public string CssClass { get; init; } = "";

    public IHtmlContent Cell(T row) => Html?.Invoke(row) ?? new HtmlString(CellEncoder.Instance.Encode(Text(row) ?? ""));
}

/// <summary>Cells are encoded like the rest of the page (every Unicode range as is): Cyrillic stays Cyrillic, not &amp;#x...; entities.</summary>
internal static class CellEncoder
{
    public static readonly HtmlEncoder Instance = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
}

/// <summary>What cells need besides the record: the language, the owners' names, the user's time zone.</summary>
internal sealed record ColumnContext(IStringLocalizer L, IReadOnlyDictionary<Guid, UserSummary> Owners, TimeZoneInfo TimeZone)
{
    /// <summary>The kind's custom fields: each is a column ("cf:" + key), sortable.</summary>
    public Crm.CustomFields.Contracts.ICustomFieldSet? Custom { get; init; }

    public string? Owner(Guid id) => Owners.TryGetValue(id, out var owner) ? owner.FullName : null;

    public string Time(DateTimeOffset value) =>
        TimeZoneInfo.ConvertTime(value, TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>
/// Each kind's column registry and its default choice (the columns the lists had before they could be
/// chosen). The name column is always shown, first. To add a column, append a <see cref="ListColumn{T}"/>
/// with a new key to the kind's list, and its heading to the resources.
/// </summary>
internal static class ClientColumns
{
    public const string NameKey = "name";

    public static readonly string[] CompanyDefaults = [NameKey, "inn", "phones", "industry", "owner"];

    public static readonly string[] ContactDefaults = [NameKey, "position", "phones", "emails", "owner"];

    public static readonly string[] LeadDefaults = [NameKey, "company", "phone", "status", "source", "owner"];

    public static List<ListColumn<Company>> Companies(ColumnContext c)
    {
        var L = c.L;
        return
        [
            new(NameKey, L["Name"], r => r.Name) { Html = r => NameCell("companies", r.Id, r.Name, r.Tags), Sort = "name" },
            new("inn", L["INN"], r => r.Inn) { CssClass = "d-none d-md-table-cell" },
            new("kpp", L["KPP"], r => r.Kpp) { CssClass = "d-none d-md-table-cell" },
            new("ogrn", L["OGRN"], r => r.Ogrn) { CssClass = "d-none d-md-table-cell" },
            new("type", L["Type"], r => ClientTexts.CompanyType(r.Type, L)) { CssClass = "d-none d-md-table-cell" },
            new("industry", L["Industry"], r => r.Industry) { CssClass = "d-none d-lg-table-cell" },
            new("phones", L["Phones"], r => Phones(r.Phones)) { CssClass = "d-none d-sm-table-cell text-nowrap" },
            new("emails", L["E-mails"], r => string.Join(", ", r.Emails)) { CssClass = "d-none d-lg-table-cell text-break" },
            new("website", L["Website"], r => r.Website) { CssClass = "d-none d-lg-table-cell text-break" },
            new("address", L["Legal address"], r => r.LegalAddress) { CssClass = "d-none d-lg-table-cell" },
            .. Common<Company>(c),
        ];
    }

    public static List<ListColumn<Contact>> Contacts(ColumnContext c)
    {
        var L = c.L;
        return
        [
            new(NameKey, L["Full name"], r => r.FullName) { Html = r => NameCell("contacts", r.Id, r.FullName, r.Tags), Sort = "name" },
            new("position", L["Position"], r => r.Position) { CssClass = "d-none d-md-table-cell" },
            new("phones", L["Phones"], r => Phones(r.Phones)) { CssClass = "d-none d-sm-table-cell text-nowrap" },
            new("emails", L["E-mails"], r => string.Join(", ", r.Emails)) { CssClass = "d-none d-lg-table-cell text-break" },
            new("birthday", L["Birthday"], r => r.Birthday?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) { CssClass = "d-none d-md-table-cell text-nowrap" },
            .. Common<Contact>(c),
        ];
    }

    public static List<ListColumn<Lead>> Leads(ColumnContext c)
    {
        var L = c.L;
        return
        [
            new(NameKey, L["Name"], r => r.Name) { Html = r => NameCell("leads", r.Id, r.Name, []), Sort = "name" },
            new("company", L["Company"], r => r.CompanyName) { CssClass = "d-none d-md-table-cell" },
            new("phone", L["Phone"], r => r.Phone is null ? null : Requisites.FormatPhone(r.Phone)) { CssClass = "d-none d-sm-table-cell text-nowrap" },
            new("email", L["E-mail"], r => r.Email) { CssClass = "d-none d-lg-table-cell text-break" },
            new("status", L["Status"], r => ClientTexts.LeadStatus(r.Status, L))
            {
                Html = r => new HtmlString($"<span class=\"badge crm-lead-status crm-lead-{r.Status.ToString().ToLowerInvariant()}\">{CellEncoder.Instance.Encode(ClientTexts.LeadStatus(r.Status, L))}</span>"),
            },
            new("source", L["Source"], r => ClientTexts.LeadSource(r.Source, L)) { CssClass = "d-none d-lg-table-cell" },
            .. Common<Lead>(c),
        ];
    }

    /// <summary>Tags, responsible and the times every kind has.</summary>
    private static IEnumerable<ListColumn<T>> Common<T>(ColumnContext c)
        where T : ClientRecord
    {
        var L = c.L;
        yield return new("tags", L["Tags"], r => string.Join(", ", r.Tags)) { CssClass = "d-none d-md-table-cell" };
        yield return new("owner", L["Responsible"], r => c.Owner(r.OwnerId) ?? "—");
        yield return new("created", L["Created"], r => c.Time(r.CreatedAt)) { Sort = "created", CssClass = "d-none d-md-table-cell text-nowrap" };
        yield return new("updated", L["Updated"], r => c.Time(r.UpdatedAt)) { Sort = "updated", CssClass = "d-none d-md-table-cell text-nowrap" };
        yield return new("activity", L["Last activity"], r => c.Time(r.LastActivityAt ?? r.CreatedAt)) { Sort = "activity", CssClass = "d-none d-md-table-cell text-nowrap" };
        // Kept by the Tasks module's events: the earliest due time of the record's open tasks.
        yield return new("next-task", L["Next task"], r => r.NextTaskAt is { } next ? c.Time(next) : "—") { CssClass = "d-none d-md-table-cell text-nowrap" };
        foreach (var field in c.Custom?.Fields ?? [])
        {
            var set = c.Custom!;
            yield return new(ClientSorts.CustomPrefix + field.Key, field.Label, r => set.Text(field, r.CustomFields))
            {
                Sort = ClientSorts.CustomPrefix + field.Key,
                CssClass = "d-none d-md-table-cell",
            };
        }
    }

    /// <summary>
    /// The columns to show, in order: the name first, always; then the chosen keys the registry knows
    /// (a column that no longer exists is skipped); no choice yet means the defaults.
    /// </summary>
    public static List<ListColumn<T>> Choose<T>(IReadOnlyList<ListColumn<T>> all, IEnumerable<string>? chosen, IReadOnlyList<string> defaults)
    {
        var byKey = all.ToDictionary(c => c.Key, StringComparer.Ordinal);
        var keys = (chosen ?? defaults).Where(k => k != NameKey).Distinct(StringComparer.Ordinal);
        return [byKey[NameKey], .. keys.Where(byKey.ContainsKey).Select(k => byKey[k])];
    }

    private static string Phones(List<string> phones) => string.Join(", ", phones.Select(Requisites.FormatPhone));

    private static HtmlString NameCell(string path, Guid id, string name, List<string> tags)
    {
        var html = new System.Text.StringBuilder($"<a href=\"/{path}/{id}\">{CellEncoder.Instance.Encode(name)}</a>");
        foreach (var tag in tags)
        {
            html.Append($" <span class=\"badge text-bg-light border\">{CellEncoder.Instance.Encode(tag)}</span>");
        }

        return new HtmlString(html.ToString());
    }
}
