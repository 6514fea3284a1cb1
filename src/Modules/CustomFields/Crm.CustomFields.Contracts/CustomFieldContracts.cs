using System.Text.Json;

namespace Crm.CustomFields.Contracts;

public enum CustomFieldType
{
    Text,
    Number,
    Money,
    Date,
    List,
    MultiList,
    YesNo,
    User,
    Link,
}

/// <summary>
/// A field an admin added to a kind of record ("company", "deal"…). <see cref="Scope"/> narrows it to
/// part of that kind (a deal pipeline's id); null means every record of the kind. <see cref="Key"/> is
/// the stable name in the stored JSON, the API and exports.
/// </summary>
public sealed record CustomFieldDefinition(
    Guid Id,
    string EntityKind,
    string? Scope,
    string Key,
    string Label,
    CustomFieldType Type,
    bool Required,
    IReadOnlyList<string> Options,
    int Order);

/// <summary>A kind of record that can have custom fields; each module registers its kinds.</summary>
/// <param name="Label">English text key of the owning module's strings.</param>
public sealed record CustomFieldEntity(string EntityKind, string Label, Type StringsType, int Order);

/// <summary>
/// The parts of a kind a field can be narrowed to (a deal's pipeline), offered by the module that owns
/// the kind: the admin page lists them as "applies to", and the definition stores the chosen value as
/// its <see cref="CustomFieldDefinition.Scope"/>.
/// </summary>
public interface ICustomFieldScopes
{
    string EntityKind { get; }

    /// <summary>The scope values and their names, in order.</summary>
    Task<IReadOnlyList<CustomFieldScope>> ListAsync(CancellationToken cancellationToken);
}

public sealed record CustomFieldScope(string Value, string Name);

/// <summary>One field's value as the user reads it (formatted, names instead of ids).</summary>
public sealed record CustomFieldDisplay(CustomFieldDefinition Field, string Text);

/// <summary>What a form needs to render a kind's custom fields: the fields, the values typed or stored, the messages, the users to pick from.</summary>
public sealed record CustomFieldInputs(
    IReadOnlyList<CustomFieldDefinition> Fields,
    IReadOnlyDictionary<string, string?> Values,
    IReadOnlyDictionary<string, string> Errors,
    IReadOnlyList<(Guid Id, string Name)> Users,
    string Prefix);

/// <summary>
/// The custom fields of one kind (and scope), with what their values need: the users a "user" field
/// can name. Values live in the owning module's record as a JSON object: key → string, number,
/// boolean, or array of strings for a multi-list.
/// </summary>
public interface ICustomFieldSet
{
    IReadOnlyList<CustomFieldDefinition> Fields { get; }

    /// <summary>
    /// Checks typed values (a form, an import row, an API body as text) and returns the new JSON. With
    /// <paramref name="partial"/> a field not in <paramref name="typed"/> keeps its current value
    /// (API patches, import updates); otherwise a missing field is empty. Messages go to
    /// <paramref name="errors"/> by field key, in the user's language; on any error the result is null.
    /// </summary>
    JsonDocument? Parse(IReadOnlyDictionary<string, string?> typed, JsonDocument? current, bool partial, IDictionary<string, string> errors);

    /// <summary>The value of one field as text for a list cell or an export; null when empty.</summary>
    string? Text(CustomFieldDefinition field, JsonDocument? values);

    /// <summary>The filled fields in order, formatted.</summary>
    IReadOnlyList<CustomFieldDisplay> Display(JsonDocument? values);

    /// <summary>A form's inputs for these fields, from the stored values or what was typed.</summary>
    CustomFieldInputs Inputs(JsonDocument? values, IReadOnlyDictionary<string, string?>? typed, IReadOnlyDictionary<string, string>? errors, string prefix);

    /// <summary>The stored value as the text a form or an import would have (for editing).</summary>
    string? Typed(CustomFieldDefinition field, JsonDocument? values);

    /// <summary>The JSON a list filter "field equals value" looks for with jsonb containment, or null when the value does not parse.</summary>
    string? ContainmentFilter(CustomFieldDefinition field, string typed);
}

public interface ICustomFields
{
    /// <summary>The fields of a kind: the global ones and, with a scope, that scope's ones; in the admin's order.</summary>
    Task<ICustomFieldSet> ForAsync(string entityKind, string? scope = null, CancellationToken cancellationToken = default);
}
