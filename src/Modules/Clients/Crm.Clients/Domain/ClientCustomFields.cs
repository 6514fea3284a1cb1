using System.Text.Json;
using Crm.Clients.Contracts;
using Crm.CustomFields.Contracts;

namespace Crm.Clients.Domain;

/// <summary>
/// Custom fields on leads, companies and contacts: the kinds' names for the custom-field module, and
/// the one way every channel (page, API, import) puts typed values on a record, so all check alike.
/// </summary>
internal sealed class ClientCustomFields(ICustomFields customFields)
{
    public const string InputsPartial = "/Areas/CustomFields/Features/Shared/_Inputs.cshtml";
    public const string ValuesPartial = "/Areas/CustomFields/Features/Shared/_Values.cshtml";

    public static string EntityKind(ClientKind kind) => kind switch
    {
        ClientKind.Lead => "lead",
        ClientKind.Company => "company",
        _ => "contact",
    };

    public Task<ICustomFieldSet> ForAsync(ClientKind kind, CancellationToken cancellationToken) =>
        customFields.ForAsync(EntityKind(kind), cancellationToken: cancellationToken);

    /// <summary>
    /// What a form posted as text per field: a multiple choice joined by lines; a yes/no checkbox sends a
    /// hidden "false" before the box's "true", so the last value counts.
    /// </summary>
    public static Dictionary<string, string?> Typed(ICustomFieldSet set, IReadOnlyDictionary<string, string[]>? posted)
    {
        var typed = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in set.Fields)
        {
            var values = posted?.GetValueOrDefault(field.Key) ?? [];
            typed[field.Key] = field.Type == CustomFieldType.YesNo ? values.LastOrDefault() : string.Join("\n", values.Where(v => !string.IsNullOrEmpty(v)));
        }

        return typed;
    }

    /// <summary>An API body's values (strings, numbers, booleans, arrays) as the text a form would send.</summary>
    public static Dictionary<string, string?> Typed(IReadOnlyDictionary<string, JsonElement> body) =>
        body.ToDictionary(p => p.Key, p => p.Value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.Array => string.Join("\n", p.Value.EnumerateArray().Select(v => v.ToString())),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => p.Value.ToString(),
        }, StringComparer.Ordinal);

    /// <summary>
    /// Checks and sets the values; messages go to <paramref name="errors"/> under "CustomFields.{key}"
    /// (the API's field names) and to <paramref name="byKey"/> for a form.
    /// </summary>
    public static bool Apply(ICustomFieldSet set, ClientRecord record, IReadOnlyDictionary<string, string?> typed, bool partial, InputErrors errors, IDictionary<string, string>? byKey = null)
    {
        var messages = new Dictionary<string, string>(StringComparer.Ordinal);
        var values = set.Parse(typed, record.CustomFields, partial, messages);
        foreach (var (key, message) in messages)
        {
            errors.Add("CustomFields." + key, message);
            byKey?.Add(key, message);
        }

        if (messages.Count == 0)
        {
            record.CustomFields = values;
        }

        return messages.Count == 0;
    }

    /// <summary>A record's snapshot for the timeline's "changed" entry, with the custom fields added.</summary>
    public static Dictionary<string, string?> WithCustom(Dictionary<string, string?> snapshot, ICustomFieldSet set, ClientRecord record)
    {
        foreach (var field in set.Fields)
        {
            snapshot[field.Label] = set.Text(field, record.CustomFields);
        }

        return snapshot;
    }
}
