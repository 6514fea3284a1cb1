using Crm.Clients.Areas.Clients.Features.Shared;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Domain;

/// <summary>
/// A record's fields as the user reads them (localized labels, formatted values). Two snapshots,
/// before and after a change, give the timeline's field-by-field "changed" entry, whichever channel
/// (page or API) made the change.
/// </summary>
internal static class ClientSnapshots
{
    public static Dictionary<string, string?> Of(Company c, IStringLocalizer L) => new()
    {
        [L["Name"]] = c.Name,
        [L["INN"]] = c.Inn,
        [L["KPP"]] = c.Kpp,
        [L["OGRN"]] = c.Ogrn,
        [L["Type"]] = ClientTexts.CompanyType(c.Type, L),
        [L["Industry"]] = c.Industry,
        [L["Website"]] = c.Website,
        [L["Legal address"]] = c.LegalAddress,
        [L["Actual address"]] = c.ActualAddress,
        [L["Phones"]] = string.Join(", ", c.Phones.Select(Requisites.FormatPhone)),
        [L["E-mails"]] = string.Join(", ", c.Emails),
        [L["Tags"]] = string.Join(", ", c.Tags),
    };

    public static Dictionary<string, string?> Of(Contact c, IStringLocalizer L) => new()
    {
        [L["Full name"]] = c.FullName,
        [L["Position"]] = c.Position,
        [L["Birthday"]] = c.Birthday?.ToString("d", System.Globalization.CultureInfo.CurrentCulture),
        [L["Phones"]] = string.Join(", ", c.Phones.Select(Requisites.FormatPhone)),
        [L["E-mails"]] = string.Join(", ", c.Emails),
        [L["Tags"]] = string.Join(", ", c.Tags),
    };

    public static Dictionary<string, string?> Of(Lead l, IStringLocalizer L) => new()
    {
        [L["Name"]] = l.Name,
        [L["Company"]] = l.CompanyName,
        [L["Phone"]] = l.Phone is null ? null : Requisites.FormatPhone(l.Phone),
        [L["E-mail"]] = l.Email,
        [L["Source"]] = ClientTexts.LeadSource(l.Source, L),
        [L["Status"]] = ClientTexts.LeadStatus(l.Status, L),
        [L["Tags"]] = string.Join(", ", l.Tags),
    };
}
