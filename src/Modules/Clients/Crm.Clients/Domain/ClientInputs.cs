using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Domain;

/// <summary>Validation messages by field (the input's property name), in the user's language.</summary>
internal sealed class InputErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>For an import's rejected row: every message in one line.</summary>
    public string Summary() => string.Join(" ", _errors.Values.SelectMany(m => m));

    /// <summary>For a page: each message next to its field, "Form.Name" for the field "Name".</summary>
    public void CopyTo(ModelStateDictionary state, string prefix)
    {
        foreach (var (field, messages) in _errors)
        {
            foreach (var message in messages)
            {
                state.AddModelError(prefix + field, message);
            }
        }
    }

    /// <summary>For the API: RFC 7807 validation errors keyed by the JSON (camelCase) field names.</summary>
    public Dictionary<string, string[]> ToProblemErrors() =>
        _errors.ToDictionary(e => char.ToLowerInvariant(e.Key[0]) + e.Key[1..], e => e.Value.ToArray());
}

/// <summary>An input that may carry custom field values (an API body: key → string, number, boolean or array).</summary>
internal interface IHasCustomFields
{
    IReadOnlyDictionary<string, System.Text.Json.JsonElement>? CustomFields { get; }
}

/// <summary>
/// What a page form or an API call asks to change on a company. Null leaves a field as it is (a
/// partial update); an empty string or list clears it.
/// </summary>
internal sealed record CompanyInput(
    string? Name = null,
    string? Inn = null,
    string? Kpp = null,
    string? Ogrn = null,
    CompanyType? Type = null,
    string? Industry = null,
    string? Website = null,
    string? LegalAddress = null,
    string? ActualAddress = null,
    IReadOnlyList<string>? Phones = null,
    IReadOnlyList<string>? Emails = null,
    IReadOnlyList<string>? Tags = null,
    Guid? OwnerId = null,
    IReadOnlyDictionary<string, System.Text.Json.JsonElement>? CustomFields = null) : IHasCustomFields;

internal sealed record ContactInput(
    string? FullName = null,
    string? Position = null,
    DateOnly? Birthday = null,
    IReadOnlyList<string>? Phones = null,
    IReadOnlyList<string>? Emails = null,
    IReadOnlyList<string>? Tags = null,
    Guid? OwnerId = null,
    IReadOnlyDictionary<string, System.Text.Json.JsonElement>? CustomFields = null) : IHasCustomFields;

internal sealed record LeadInput(
    string? Name = null,
    string? CompanyName = null,
    string? Phone = null,
    string? Email = null,
    LeadSource? Source = null,
    LeadStatus? Status = null,
    IReadOnlyList<string>? Tags = null,
    Guid? OwnerId = null,
    IReadOnlyDictionary<string, System.Text.Json.JsonElement>? CustomFields = null) : IHasCustomFields;

/// <summary>
/// The rules every channel (pages, API, later the import) applies to client records: one place, so
/// a phone that the page refuses is refused by the API with the same message. Nothing is changed on
/// the record unless the whole input is valid.
/// </summary>
internal static class ClientInputs
{
    public const int NameLength = 300;

    public static void Apply(CompanyInput input, Company company, InputErrors errors, IStringLocalizer L)
    {
        var name = Text(input.Name, company.Name, "Name", NameLength, errors, L);
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add("Name", L["Enter the company name."]);
        }

        var inn = Optional(input.Inn, company.Inn);
        if (input.Inn is not null && inn is not null && !Requisites.IsValidInn(inn))
        {
            errors.Add("Inn", L["The INN must be 10 or 12 digits with a correct check digit."]);
        }

        var kpp = Optional(input.Kpp, company.Kpp)?.ToUpperInvariant();
        if (input.Kpp is not null && kpp is not null && !Requisites.IsValidKpp(kpp))
        {
            errors.Add("Kpp", L["The KPP is 9 characters: 4 digits, 2 digits or letters, 3 digits."]);
        }

        var ogrn = Optional(input.Ogrn, company.Ogrn);
        if (input.Ogrn is not null && ogrn is not null && !Requisites.IsValidOgrn(ogrn))
        {
            errors.Add("Ogrn", L["The OGRN must be 13 or 15 digits with a correct check digit."]);
        }

        var industry = Text(input.Industry, company.Industry, "Industry", 200, errors, L);
        var website = Text(input.Website, company.Website, "Website", 300, errors, L);
        var legal = Text(input.LegalAddress, company.LegalAddress, "LegalAddress", 500, errors, L);
        var actual = Text(input.ActualAddress, company.ActualAddress, "ActualAddress", 500, errors, L);
        var phones = input.Phones is null ? company.Phones : Phones(input.Phones, "Phones", errors, L);
        var emails = input.Emails is null ? company.Emails : Emails(input.Emails, "Emails", errors, L);
        if (!errors.IsEmpty)
        {
            return;
        }

        company.Name = name!;
        company.Inn = inn;
        company.Kpp = kpp;
        company.Ogrn = ogrn;
        company.Type = input.Type ?? company.Type;
        company.Industry = industry;
        company.Website = website;
        company.LegalAddress = legal;
        company.ActualAddress = actual;
        company.Phones = phones;
        company.PhoneDigits = Requisites.PhoneDigits(phones);
        company.Emails = emails;
        company.EmailsText = string.Join(' ', emails);
        company.Tags = input.Tags is null ? company.Tags : Tags(input.Tags);
    }

    public static void Apply(ContactInput input, Contact contact, InputErrors errors, IStringLocalizer L, DateTimeOffset now)
    {
        var fullName = Text(input.FullName, contact.FullName, "FullName", NameLength, errors, L);
        if (string.IsNullOrWhiteSpace(fullName))
        {
            errors.Add("FullName", L["Enter the full name."]);
        }

        var position = Text(input.Position, contact.Position, "Position", 200, errors, L);
        if (input.Birthday is { } birthday && (birthday.Year < 1900 || birthday > DateOnly.FromDateTime(now.UtcDateTime)))
        {
            errors.Add("Birthday", L["The birthday must be a past date."]);
        }

        var phones = input.Phones is null ? contact.Phones : Phones(input.Phones, "Phones", errors, L);
        var emails = input.Emails is null ? contact.Emails : Emails(input.Emails, "Emails", errors, L);
        if (!errors.IsEmpty)
        {
            return;
        }

        contact.FullName = fullName!;
        contact.Position = position;
        contact.Birthday = input.Birthday ?? contact.Birthday;
        contact.Phones = phones;
        contact.PhoneDigits = Requisites.PhoneDigits(phones);
        contact.Emails = emails;
        contact.EmailsText = string.Join(' ', emails);
        contact.Tags = input.Tags is null ? contact.Tags : Tags(input.Tags);
    }

    public static void Apply(LeadInput input, Lead lead, InputErrors errors, IStringLocalizer L)
    {
        var name = Text(input.Name, lead.Name, "Name", NameLength, errors, L);
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add("Name", L["Enter the name of the person who asked."]);
        }

        var companyName = Text(input.CompanyName, lead.CompanyName, "CompanyName", NameLength, errors, L);
        var phone = lead.Phone;
        if (input.Phone is not null)
        {
            phone = Optional(input.Phone, null);
            if (phone is not null && (phone = Requisites.NormalizePhone(phone)) is null)
            {
                errors.Add("Phone", L["“{0}” is not a phone number.", input.Phone.Trim()]);
            }
        }

        var email = lead.Email;
        if (input.Email is not null)
        {
            email = Optional(input.Email, null);
            if (email is not null && (email = Requisites.NormalizeEmail(email)) is null)
            {
                errors.Add("Email", L["“{0}” is not an e-mail address.", input.Email.Trim()]);
            }
        }

        if (input.Status == LeadStatus.Converted && lead.Status != LeadStatus.Converted)
        {
            errors.Add("Status", L["A lead becomes converted by the conversion, not by editing."]);
        }

        if (!errors.IsEmpty)
        {
            return;
        }

        lead.Name = name!;
        lead.CompanyName = companyName;
        lead.Phone = phone;
        lead.PhoneDigits = phone is null ? "" : Requisites.PhoneDigits([phone]);
        lead.Email = email;
        lead.Source = input.Source ?? lead.Source;
        lead.Status = input.Status ?? lead.Status;
        lead.Tags = input.Tags is null ? lead.Tags : Tags(input.Tags);
    }

    /// <summary>Splits what a page's text box holds (one per line, or separated by commas) into values.</summary>
    public static List<string> Lines(string? text) =>
        (text ?? "").Split(['\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static string? Text(string? requested, string? current, string field, int maxLength, InputErrors errors, IStringLocalizer L)
    {
        if (requested is null)
        {
            return current;
        }

        var value = Optional(requested, null);
        if (value is { Length: var length } && length > maxLength)
        {
            errors.Add(field, L["At most {1} characters.", field, maxLength]);
        }

        return value;
    }

    private static string? Optional(string? requested, string? current) =>
        requested is null ? current : string.IsNullOrWhiteSpace(requested) ? null : requested.Trim();

    private static List<string> Phones(IEnumerable<string> typed, string field, InputErrors errors, IStringLocalizer L)
    {
        var phones = new List<string>();
        foreach (var line in typed.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()))
        {
            if (Requisites.NormalizePhone(line) is { } phone)
            {
                if (!phones.Contains(phone))
                {
                    phones.Add(phone);
                }
            }
            else
            {
                errors.Add(field, L["“{0}” is not a phone number.", line]);
            }
        }

        return phones;
    }

    private static List<string> Emails(IEnumerable<string> typed, string field, InputErrors errors, IStringLocalizer L)
    {
        var emails = new List<string>();
        foreach (var line in typed.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()))
        {
            if (Requisites.NormalizeEmail(line) is { } email)
            {
                if (!emails.Contains(email))
                {
                    emails.Add(email);
                }
            }
            else
            {
                errors.Add(field, L["“{0}” is not an e-mail address.", line]);
            }
        }

        return emails;
    }

    private static List<string> Tags(IEnumerable<string> tags) =>
        tags.Select(t => t.Trim()).Where(t => t.Length is > 0 and <= 50).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
