using Crm.Clients.Contracts;

namespace Crm.Clients.Domain;

/// <summary>
/// What every client record has: a responsible user and the department derived from that user (so
/// department scopes need no join into Identity), tags, times, and the recycle-bin mark. Not mapped as
/// a hierarchy: each kind has its own table with these columns.
/// </summary>
internal abstract class ClientRecord
{
    public Guid Id { get; set; }

    public Guid OwnerId { get; set; }

    /// <summary>The owner's department when the owner was set; kept in step by reassignment.</summary>
    public Guid OwnerDepartmentId { get; set; }

    public List<string> Tags { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Last note, call, mail or task done: "not contacted for N days" reads it.</summary>
    public DateTimeOffset? LastActivityAt { get; set; }

    /// <summary>The earliest due time of the record's open tasks (null: none), kept by the Tasks module's events.</summary>
    public DateTimeOffset? NextTaskAt { get; set; }

    /// <summary>Set when moved to the recycle bin: hidden everywhere until restored.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>Custom field values (jsonb): key → string, number, boolean, or array of strings. See Crm.CustomFields.</summary>
    public System.Text.Json.JsonDocument? CustomFields { get; set; }

    /// <summary>PostgreSQL xmin: two people saving the same record get a conflict, never a silent overwrite.</summary>
    public uint Version { get; set; }

    public abstract ClientKind Kind { get; }

    public abstract string DisplayName { get; }
}

internal enum CompanyType
{
    Client,
    Partner,
    Supplier,
    Competitor,
}

internal sealed class Company : ClientRecord
{
    public string Name { get; set; } = "";

    public string? Inn { get; set; }

    public string? Kpp { get; set; }

    public string? Ogrn { get; set; }

    public CompanyType Type { get; set; } = CompanyType.Client;

    public string? Industry { get; set; }

    public string? Website { get; set; }

    public string? LegalAddress { get; set; }

    public string? ActualAddress { get; set; }

    /// <summary>E.164 numbers.</summary>
    public List<string> Phones { get; set; } = [];

    /// <summary>Lower-cased addresses.</summary>
    public List<string> Emails { get; set; } = [];

    /// <summary>Digits of <see cref="Phones"/>, for the phone-fragment search (trigram index).</summary>
    public string PhoneDigits { get; set; } = "";

    /// <summary><see cref="Emails"/> joined by spaces, for the e-mail prefix search (trigram index).</summary>
    public string EmailsText { get; set; } = "";

    public override ClientKind Kind => ClientKind.Company;

    public override string DisplayName => Name;
}

internal sealed class Contact : ClientRecord
{
    public string FullName { get; set; } = "";

    public string? Position { get; set; }

    public DateOnly? Birthday { get; set; }

    public List<string> Phones { get; set; } = [];

    public List<string> Emails { get; set; } = [];

    public string PhoneDigits { get; set; } = "";

    public string EmailsText { get; set; } = "";

    public override ClientKind Kind => ClientKind.Contact;

    public override string DisplayName => FullName;
}

/// <summary>A contact works at zero or more companies, each with a role ("director", "buyer").</summary>
internal sealed class ContactCompany
{
    public Guid ContactId { get; set; }

    public Guid CompanyId { get; set; }

    public string? Role { get; set; }
}

internal enum LeadSource
{
    Manual,
    WebForm,
    Call,
    Mail,
    Import,
    Api,
}

internal enum LeadStatus
{
    New,
    InWork,
    Qualified,
    Junk,
    Converted,
}

/// <summary>An inquiry not yet qualified. Converting it creates or links a contact and a company.</summary>
internal sealed class Lead : ClientRecord
{
    public string Name { get; set; } = "";

    public string? CompanyName { get; set; }

    public string? Phone { get; set; }

    public string? Email { get; set; }

    public string PhoneDigits { get; set; } = "";

    public LeadSource Source { get; set; } = LeadSource.Manual;

    public LeadStatus Status { get; set; } = LeadStatus.New;

    public DateTimeOffset? ConvertedAt { get; set; }

    /// <summary>The contact the lead became; its card carries the lead's history.</summary>
    public Guid? ConvertedContactId { get; set; }

    public Guid? ConvertedCompanyId { get; set; }

    public override ClientKind Kind => ClientKind.Lead;

    public override string DisplayName => Name;
}

/// <summary>
/// A saved segment: a named list filter of one kind, private to its author or shared with everyone.
/// Opening it shows what the filter matches now, within the viewer's own scope.
/// </summary>
internal sealed class Segment
{
    public Guid Id { get; set; }

    public ClientKind Kind { get; set; }

    public string Name { get; set; } = "";

    public Guid AuthorId { get; set; }

    public bool IsShared { get; set; }

    public string? Text { get; set; }

    public Guid? OwnerFilter { get; set; }

    public string? Tag { get; set; }

    public int? IdleDays { get; set; }

    /// <summary>A custom field's key and the value it must have.</summary>
    public string? CustomField { get; set; }

    public string? CustomValue { get; set; }

    /// <summary>Created / updated within these days (inclusive), in the time zone of whoever opens the segment.</summary>
    public DateOnly? CreatedFrom { get; set; }

    public DateOnly? CreatedTo { get; set; }

    public DateOnly? UpdatedFrom { get; set; }

    public DateOnly? UpdatedTo { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A file attached to a record, kept on disk under a name of our own; served only to users who may view the record.</summary>
internal sealed class Attachment
{
    public Guid Id { get; set; }

    public ClientKind RecordKind { get; set; }

    public Guid RecordId { get; set; }

    /// <summary>The name the user's file had: shown and used for the download, never for the path on disk.</summary>
    public string FileName { get; set; } = "";

    public string ContentType { get; set; } = "application/octet-stream";

    public long Size { get; set; }

    /// <summary>Relative to the files directory: "2026/11/{id}".</summary>
    public string StoragePath { get; set; } = "";

    public Guid UploadedBy { get; set; }

    public string UploadedByName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One line of a record's timeline: a note, a change, or an entry another module wrote.</summary>
internal sealed class TimelineEntry
{
    public Guid Id { get; set; }

    public ClientKind RecordKind { get; set; }

    public Guid RecordId { get; set; }

    /// <summary>"note", "created", "changed", "owner", or another module's kind ("deal", "task").</summary>
    public string Kind { get; set; } = "";

    public string Subject { get; set; } = "";

    public string? Text { get; set; }

    public Guid? AuthorId { get; set; }

    public string? AuthorName { get; set; }

    public string? Link { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
