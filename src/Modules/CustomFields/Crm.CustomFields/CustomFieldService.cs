using System.Globalization;
using System.Text.Json;
using Crm.CustomFields.Contracts;
using Crm.CustomFields.Data;
using Crm.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.CustomFields;

/// <summary>Loads a kind's fields and the active users (for "user" fields) once per request.</summary>
internal sealed class CustomFieldService(FieldsDbContext db, IUserDirectory users, IStringLocalizer<CustomFieldsStrings> strings) : ICustomFields
{
    public async Task<ICustomFieldSet> ForAsync(string entityKind, string? scope = null, CancellationToken cancellationToken = default)
    {
        var fields = await db.Definitions.AsNoTracking()
            .Where(f => f.EntityKind == entityKind && (f.Scope == null || f.Scope == scope))
            .OrderBy(f => f.Order).ThenBy(f => f.Label)
            .ToListAsync(cancellationToken);
        var people = fields.Any(f => f.Type == CustomFieldType.User)
            ? (await users.GetActiveUsersAsync(cancellationToken: cancellationToken)).Select(u => (u.Id, u.FullName, u.Email)).ToList()
            : [];
        return new CustomFieldSet(fields.Select(f => f.ToContract()).ToList(), people, strings);
    }
}

/// <summary>
/// The rules of each field type: what may be typed, how it is stored in the JSON, how it reads back.
/// Numbers accept "1 234,5" and "1234.5"; dates "2026-11-22" and "22.11.2026"; yes/no "да", "yes",
/// "1", "true"; a user by full name or e-mail (imports) or id (forms, API).
/// </summary>
internal sealed class CustomFieldSet(IReadOnlyList<CustomFieldDefinition> fields, IReadOnlyList<(Guid Id, string Name, string Email)> users, IStringLocalizer L) : ICustomFieldSet
{
    public const int TextLength = 1000;

    public IReadOnlyList<CustomFieldDefinition> Fields => fields;

    public JsonDocument? Parse(IReadOnlyDictionary<string, string?> typed, JsonDocument? current, bool partial, IDictionary<string, string> errors)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        if (current is not null)
        {
            foreach (var property in current.RootElement.EnumerateObject())
            {
                // Values of fields since deleted are kept: re-creating the field brings them back.
                if (partial || fields.All(f => f.Key != property.Name))
                {
                    values[property.Name] = property.Value.Clone();
                }
            }
        }

        var failed = false;
        foreach (var field in fields)
        {
            if (!typed.TryGetValue(field.Key, out var text))
            {
                if (!partial && field.Required)
                {
                    errors[field.Key] = L["Fill in “{0}”.", field.Label];
                    failed = true;
                }

                continue;
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                values.Remove(field.Key);
                if (field.Required)
                {
                    errors[field.Key] = L["Fill in “{0}”.", field.Label];
                    failed = true;
                }

                continue;
            }

            var (value, error) = Value(field, text.Trim());
            if (error is not null)
            {
                errors[field.Key] = error;
                failed = true;
            }
            else
            {
                values[field.Key] = value!;
            }
        }

        return failed ? null : values.Count == 0 ? null : JsonSerializer.SerializeToDocument(values);
    }

    private (object? Value, string? Error) Value(CustomFieldDefinition field, string text)
    {
        switch (field.Type)
        {
            case CustomFieldType.Number or CustomFieldType.Money:
                var number = Number(text);
                return number is null ? (null, L["“{0}” is not a number.", text])
                    : (field.Type == CustomFieldType.Money ? Math.Round(number.Value, 2) : number.Value, null);
            case CustomFieldType.Date:
                return Crm.SharedKernel.Text.TypedDate.Parse(text) is { } date ? (date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null) : (null, L["“{0}” is not a date.", text]);
            case CustomFieldType.YesNo:
                return text.ToLowerInvariant() switch
                {
                    "true" or "yes" or "да" or "1" or "on" or "y" or "д" => (true, null),
                    "false" or "no" or "нет" or "0" or "off" or "n" or "н" => (false, null),
                    _ => (null, L["“{0}” is neither yes nor no.", text]),
                };
            case CustomFieldType.List:
                return Option(field, text) is { } single ? (single, null) : (null, L["“{0}” is not one of the options of “{1}”.", text, field.Label]);
            case CustomFieldType.MultiList:
                var chosen = new List<string>();
                foreach (var part in text.Split(['\n', ';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (Option(field, part) is not { } option)
                    {
                        return (null, L["“{0}” is not one of the options of “{1}”.", part, field.Label]);
                    }

                    if (!chosen.Contains(option))
                    {
                        chosen.Add(option);
                    }
                }

                return (chosen, null);
            case CustomFieldType.User:
                var user = users.FirstOrDefault(u => u.Id.ToString() == text || string.Equals(u.Name, text, StringComparison.OrdinalIgnoreCase) || string.Equals(u.Email, text, StringComparison.OrdinalIgnoreCase));
                return user.Id == Guid.Empty ? (null, L["“{0}” is not an active user.", text]) : (user.Id.ToString(), null);
            case CustomFieldType.Link:
                return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && text.Length <= TextLength
                    ? (uri.ToString(), null)
                    : (null, L["“{0}” is not a web address (http:// or https://).", text]);
            default:
                return text.Length > TextLength ? (null, L["At most {0} characters.", TextLength]) : (text, null);
        }
    }

    public string? Text(CustomFieldDefinition field, JsonDocument? values)
    {
        if (values is null || !values.RootElement.TryGetProperty(field.Key, out var value))
        {
            return null;
        }

        return (field.Type, value.ValueKind) switch
        {
            (CustomFieldType.Money, JsonValueKind.Number) => value.GetDecimal().ToString("N2", CultureInfo.CurrentCulture),
            (CustomFieldType.Number, JsonValueKind.Number) => value.GetDecimal().ToString("#,0.##########", CultureInfo.CurrentCulture),
            (CustomFieldType.Date, JsonValueKind.String) when DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                => date.ToString("d", CultureInfo.CurrentCulture),
            (CustomFieldType.YesNo, JsonValueKind.True) => L["Yes"],
            (CustomFieldType.YesNo, JsonValueKind.False) => L["No"],
            (CustomFieldType.User, JsonValueKind.String) => users.FirstOrDefault(u => u.Id.ToString() == value.GetString()).Name ?? "—",
            (_, JsonValueKind.Array) => string.Join(", ", value.EnumerateArray().Select(v => v.ToString())),
            _ => value.ToString(),
        };
    }

    public IReadOnlyList<CustomFieldDisplay> Display(JsonDocument? values) =>
        fields.Select(f => (Field: f, Text: Text(f, values))).Where(p => !string.IsNullOrEmpty(p.Text)).Select(p => new CustomFieldDisplay(p.Field, p.Text!)).ToList();

    public string? Typed(CustomFieldDefinition field, JsonDocument? values)
    {
        if (values is null || !values.RootElement.TryGetProperty(field.Key, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Array => string.Join("\n", value.EnumerateArray().Select(v => v.ToString())),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => value.GetDecimal().ToString(CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }

    public CustomFieldInputs Inputs(JsonDocument? values, IReadOnlyDictionary<string, string?>? typed, IReadOnlyDictionary<string, string>? errors, string prefix) =>
        new(
            fields,
            fields.ToDictionary(f => f.Key, f => typed is not null ? typed.GetValueOrDefault(f.Key) : Typed(f, values)),
            errors ?? new Dictionary<string, string>(),
            users.Select(u => (u.Id, u.Name)).ToList(),
            prefix);

    public string? ContainmentFilter(CustomFieldDefinition field, string typed)
    {
        var (value, error) = Value(field, typed.Trim());
        if (error is not null || value is null)
        {
            return null;
        }

        // jsonb containment: a multi-list matches when it holds the options typed, the others when equal.
        return JsonSerializer.Serialize(new Dictionary<string, object> { [field.Key] = value });
    }

    private static string? Option(CustomFieldDefinition field, string text) =>
        field.Options.FirstOrDefault(o => string.Equals(o, text, StringComparison.OrdinalIgnoreCase));

    private static decimal? Number(string text)
    {
        var cleaned = text.Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal).Replace("\u202F", "", StringComparison.Ordinal).Replace(',', '.');
        return decimal.TryParse(cleaned, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

}
