using Crm.CustomFields.Contracts;

namespace Crm.CustomFields.Domain;

/// <summary>A custom field as an admin defined it; the values live in the owning module's records.</summary>
internal sealed class FieldDefinition
{
    public Guid Id { get; set; }

    /// <summary>"lead", "company", "contact", "deal": a kind registered by its module.</summary>
    public string EntityKind { get; set; } = "";

    /// <summary>Part of the kind the field applies to (a deal pipeline's id), or null for all of it.</summary>
    public string? Scope { get; set; }

    /// <summary>The name in the stored JSON, the API and exports; never changes once values exist.</summary>
    public string Key { get; set; } = "";

    public string Label { get; set; } = "";

    public CustomFieldType Type { get; set; }

    public bool Required { get; set; }

    public List<string> Options { get; set; } = [];

    public int Order { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public CustomFieldDefinition ToContract() => new(Id, EntityKind, Scope, Key, Label, Type, Required, Options, Order);
}
