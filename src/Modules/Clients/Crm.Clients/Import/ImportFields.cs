using System.Globalization;
using Crm.Clients.Areas.Clients.Features.Shared;
using Crm.Clients.Contracts;
using Crm.Clients.Domain;
using Crm.CustomFields.Contracts;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Import;

/// <summary>
/// A field a column can fill. <see cref="Label"/> is an English text key of the module's strings (the
/// same as on the forms and in the export, so an exported file maps itself back); <see cref="Aliases"/>
/// are other headings people use, in both languages.
/// </summary>
internal sealed record ImportField(string Key, string Label, bool IsList, params string[] Aliases)
{
    /// <summary>A custom field: <see cref="Label"/> is the admin's name for it, not a text key.</summary>
    public bool IsCustom { get; init; }
}

/// <summary>
/// The fields of each kind an import can fill, and how a row's values become the same input a page
/// or the API sends, so an import row passes exactly the validation a form does.
/// </summary>
internal static class ImportFields
{
    public const string OwnerKey = "owner";

    private static readonly ImportField OwnerField = new(OwnerKey, "Responsible", false, "ответственный", "менеджер", "owner", "manager", "responsible");
    private static readonly ImportField TagsField = new("tags", "Tags", true, "теги", "метки", "tags", "tag");
    private static readonly ImportField PhonesField = new("phones", "Phones", true, "телефон", "телефоны", "тел", "мобильный", "phone", "phones", "mobile", "tel");
    private static readonly ImportField EmailsField = new("emails", "E-mails", true, "email", "e-mail", "почта", "эл. почта", "электронная почта", "emails", "mail");

    public static readonly IReadOnlyList<ImportField> Company =
    [
        new("name", "Name", false, "название", "наименование", "компания", "организация", "name", "company", "company name"),
        new("inn", "INN", false, "инн", "inn"),
        new("kpp", "KPP", false, "кпп", "kpp"),
        new("ogrn", "OGRN", false, "огрн", "ogrn"),
        new("type", "Type", false, "тип", "type"),
        new("industry", "Industry", false, "отрасль", "industry"),
        new("website", "Website", false, "сайт", "website", "site", "web"),
        new("legal_address", "Legal address", false, "юридический адрес", "юр. адрес", "legal address"),
        new("actual_address", "Actual address", false, "фактический адрес", "адрес", "address", "actual address"),
        PhonesField,
        EmailsField,
        TagsField,
        OwnerField,
    ];

    public static readonly IReadOnlyList<ImportField> Contact =
    [
        new("full_name", "Full name", false, "фио", "имя", "контакт", "full name", "name", "contact"),
        new("position", "Position", false, "должность", "position", "title", "job title"),
        new("birthday", "Birthday", false, "день рождения", "дата рождения", "birthday", "birth date"),
        PhonesField,
        EmailsField,
        TagsField,
        OwnerField,
    ];

    public static readonly IReadOnlyList<ImportField> Lead =
    [
        new("name", "Name", false, "имя", "фио", "контакт", "name", "full name"),
        new("company_name", "Company", false, "компания", "организация", "company", "company name"),
        new("phone", "Phone", false, "телефон", "тел", "phone", "mobile"),
        new("email", "E-mail", false, "email", "e-mail", "почта", "mail"),
        new("source", "Source", false, "источник", "source"),
        new("status", "Status", false, "статус", "status"),
        TagsField,
        OwnerField,
    ];

    public const string CustomPrefix = "cf:";

    /// <summary>The kind's standard fields, then its custom fields ("cf:" + key).</summary>
    public static IReadOnlyList<ImportField> For(ClientKind kind, ICustomFieldSet? custom = null) =>
    [
        .. kind switch
        {
            ClientKind.Company => Company,
            ClientKind.Contact => Contact,
            _ => Lead,
        },
        .. (custom?.Fields ?? []).Select(f => new ImportField(CustomPrefix + f.Key, f.Label, false, f.Label, f.Key) { IsCustom = true }),
    ];

    /// <summary>The keys a kind can be matched on: a contact has no INN.</summary>
    public static IReadOnlyList<ImportKey> Keys(ClientKind kind) =>
        kind == ClientKind.Company ? [ImportKey.Inn, ImportKey.Email, ImportKey.Phone] : [ImportKey.Email, ImportKey.Phone];

    /// <summary>
    /// The columns matched to fields: first by the mapping the user chose last time for a heading, then
    /// by the heading itself (a field's name in either language, or a common synonym).
    /// </summary>
    public static List<ImportColumn> AutoMap(IReadOnlyList<ImportField> fields, IReadOnlyList<string> headers, IReadOnlyDictionary<string, string> remembered, Func<string, IEnumerable<string>> labelsInBothLanguages)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            foreach (var name in field.IsCustom ? field.Aliases : field.Aliases.Concat(labelsInBothLanguages(field.Label)))
            {
                byName.TryAdd(Normalize(name), field.Key);
            }
        }

        var taken = new HashSet<string>();
        var columns = new List<ImportColumn>();
        for (var i = 0; i < headers.Count; i++)
        {
            var normalized = Normalize(headers[i]);
            var field = remembered.TryGetValue(normalized, out var chosen) && fields.Any(f => f.Key == chosen) ? chosen
                : byName.GetValueOrDefault(normalized);
            // A single-value field takes the first column that matches; lists (phones, tags) take them all.
            if (field is not null && !fields.First(f => f.Key == field).IsList && !taken.Add(field))
            {
                field = null;
            }

            columns.Add(new ImportColumn(i, headers[i], field));
        }

        return columns;
    }

    /// <summary>"E-mail", "e mail", "Эл.почта" compare equal: lower case, letters and digits only.</summary>
    public static string Normalize(string heading) =>
        new(heading.ToLowerInvariant().Replace('ё', 'е').Where(char.IsLetterOrDigit).ToArray());

    /// <summary>A row's values by field: list fields joined from every column mapped to them; empty cells left out.</summary>
    public static Dictionary<string, string> Values(IReadOnlyList<ImportColumn> columns, string?[] cells)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (column.Field is null || column.Index >= cells.Length || string.IsNullOrWhiteSpace(cells[column.Index]))
            {
                continue;
            }

            var cell = cells[column.Index]!.Trim();
            values[column.Field] = values.TryGetValue(column.Field, out var earlier) ? earlier + "\n" + cell : cell;
        }

        return values;
    }

    /// <summary>
    /// Applies a row to a record with the form's rules. For a new record an empty cell leaves the field
    /// empty; for an update it leaves the field as it is, and phones, e-mails and tags are added to the
    /// ones the record has. Returns false with the reasons in <paramref name="errors"/>.
    /// </summary>
    public static bool Apply(ClientRecord record, IReadOnlyDictionary<string, string> values, bool isNew, InputErrors errors, IStringLocalizer L, DateTimeOffset now, ICustomFieldSet? custom = null)
    {
        if (custom is { Fields.Count: > 0 })
        {
            // Custom fields: a new record gets what the row has (a required one missing is an error); an update only what the row fills.
            var typed = values.Where(v => v.Key.StartsWith(CustomPrefix, StringComparison.Ordinal)).ToDictionary(v => v.Key[CustomPrefix.Length..], v => (string?)v.Value);
            ClientCustomFields.Apply(custom, record, typed, partial: !isNew, errors);
        }

        switch (record)
        {
            case Company company:
                var type = Enum(values, "type", ParseCompanyType, errors, L);
                ClientInputs.Apply(
                    new CompanyInput(
                        Get(values, "name"), Inn(Get(values, "inn")), Get(values, "kpp"), Get(values, "ogrn"), type, Get(values, "industry"), Get(values, "website"),
                        Get(values, "legal_address"), Get(values, "actual_address"),
                        List(values, "phones", isNew ? null : company.Phones), List(values, "emails", isNew ? null : company.Emails), List(values, "tags", isNew ? null : company.Tags)),
                    company, errors, L);
                break;
            case Contact contact:
                DateOnly? birthday = null;
                if (Get(values, "birthday") is { } typed)
                {
                    birthday = Crm.SharedKernel.Text.TypedDate.Parse(typed);
                    if (birthday is null)
                    {
                        errors.Add("Birthday", L["“{0}” is not a date.", typed]);
                    }
                }

                ClientInputs.Apply(
                    new ContactInput(
                        Get(values, "full_name"), Get(values, "position"), birthday,
                        List(values, "phones", isNew ? null : contact.Phones), List(values, "emails", isNew ? null : contact.Emails), List(values, "tags", isNew ? null : contact.Tags)),
                    contact, errors, L, now);
                break;
            case Lead lead:
                var source = Enum(values, "source", ParseLeadSource, errors, L) ?? (isNew ? LeadSource.Import : null);
                var status = Enum(values, "status", ParseLeadStatus, errors, L);
                ClientInputs.Apply(
                    new LeadInput(Get(values, "name"), Get(values, "company_name"), Get(values, "phone"), Get(values, "email"), source, status, List(values, "tags", isNew ? null : lead.Tags)),
                    lead, errors, L);
                break;
        }

        return errors.IsEmpty;
    }

    /// <summary>The row's responsible user (by full name or e-mail among those the user may assign), else the import's default.</summary>
    public static Identity.Contracts.UserSummary? Owner(
        IReadOnlyDictionary<string, string> values, IReadOnlyList<Identity.Contracts.UserSummary> owners, Identity.Contracts.UserSummary? defaultOwner, InputErrors errors, IStringLocalizer L)
    {
        if (!values.TryGetValue(OwnerKey, out var typed))
        {
            if (defaultOwner is null)
            {
                errors.Add("Owner", L["Choose a responsible user from the list."]);
            }

            return defaultOwner;
        }

        var owner = owners.FirstOrDefault(o => string.Equals(o.FullName, typed, StringComparison.OrdinalIgnoreCase) || string.Equals(o.Email, typed, StringComparison.OrdinalIgnoreCase));
        if (owner is null)
        {
            errors.Add("Owner", L["“{0}” is not a user you may make responsible.", typed]);
        }

        return owner;
    }

    /// <summary>A record's values for a duplicate key (normalized as stored).</summary>
    public static IEnumerable<string> KeyValues(ClientRecord record, ImportKey key) => (record, key) switch
    {
        (Company c, ImportKey.Inn) => c.Inn is null ? [] : [c.Inn],
        (Company c, ImportKey.Phone) => c.Phones,
        (Company c, ImportKey.Email) => c.Emails,
        (Contact c, ImportKey.Phone) => c.Phones,
        (Contact c, ImportKey.Email) => c.Emails,
        (Lead l, ImportKey.Phone) => l.Phone is null ? [] : [l.Phone],
        (Lead l, ImportKey.Email) => l.Email is null ? [] : [l.Email],
        _ => [],
    };

    public static ClientRecord New(ClientKind kind, Guid id, DateTimeOffset now) => kind switch
    {
        ClientKind.Company => new Company { Id = id, CreatedAt = now, UpdatedAt = now },
        ClientKind.Contact => new Contact { Id = id, CreatedAt = now, UpdatedAt = now },
        _ => new Lead { Id = id, CreatedAt = now, UpdatedAt = now },
    };

    public static Dictionary<string, string?> Snapshot(ClientRecord record, IStringLocalizer L) => record switch
    {
        Company c => ClientSnapshots.Of(c, L),
        Contact c => ClientSnapshots.Of(c, L),
        Lead l => ClientSnapshots.Of(l, L),
        _ => [],
    };

    private static string? Get(IReadOnlyDictionary<string, string> values, string key) => values.GetValueOrDefault(key);

    private static List<string>? List(IReadOnlyDictionary<string, string> values, string key, List<string>? existing)
    {
        if (!values.TryGetValue(key, out var text))
        {
            return null;
        }

        var typed = ClientInputs.Lines(text);
        return existing is null ? typed : [.. existing, .. typed];
    }

    /// <summary>An INN typed as a number loses its leading zero (region codes 01–09): 9 or 11 digits get it back.</summary>
    private static string? Inn(string? typed) =>
        typed is { Length: 9 or 11 } && typed.All(char.IsAsciiDigit) ? "0" + typed : typed;

    private static T? Enum<T>(IReadOnlyDictionary<string, string> values, string key, Func<string, T?> parse, InputErrors errors, IStringLocalizer L)
        where T : struct
    {
        if (Get(values, key) is not { } typed)
        {
            return null;
        }

        var parsed = parse(Normalize(typed));
        if (parsed is null)
        {
            errors.Add(char.ToUpperInvariant(key[0]) + key[1..], L["“{0}” is not one of the allowed values.", typed]);
        }

        return parsed;
    }


    // The names of the enumerations people type, in both languages: the English ones come from the enum itself.
    internal static CompanyType? ParseCompanyType(string typed) => typed switch
    {
        "client" or "клиент" => CompanyType.Client,
        "partner" or "партнер" => CompanyType.Partner,
        "supplier" or "поставщик" => CompanyType.Supplier,
        "competitor" or "конкурент" => CompanyType.Competitor,
        _ => null,
    };

    internal static LeadSource? ParseLeadSource(string typed) => typed switch
    {
        "manual" or "вручную" => LeadSource.Manual,
        "webform" or "вебформа" or "формаснасайта" or "сайт" => LeadSource.WebForm,
        "call" or "звонок" => LeadSource.Call,
        "mail" or "email" or "почта" or "письмо" => LeadSource.Mail,
        "import" or "импорт" => LeadSource.Import,
        "api" => LeadSource.Api,
        _ => null,
    };

    internal static LeadStatus? ParseLeadStatus(string typed) => typed switch
    {
        "new" or "новый" => LeadStatus.New,
        "inwork" or "вработе" => LeadStatus.InWork,
        "qualified" or "квалифицирован" => LeadStatus.Qualified,
        "junk" or "мусор" or "спам" => LeadStatus.Junk,
        _ => null,
    };
}
