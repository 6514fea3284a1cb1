using Crm.Clients.Contracts;

namespace Crm.Clients.Domain;

/// <summary>
/// A record removed by a merge, and the record it went into. Old links (bookmarks, other modules'
/// stored ids, API clients) to the removed id are sent on to the survivor. When a survivor is later
/// merged into another record, its rows are pointed at the new survivor, so one look-up always suffices.
/// </summary>
internal sealed class MergedRecord
{
    public Guid RemovedId { get; set; }

    public Guid SurvivorId { get; set; }

    public ClientKind Kind { get; set; }

    public DateTimeOffset MergedAt { get; set; }

    public Guid MergedBy { get; set; }
}

/// <summary>
/// One line of the module's audit log: actions that are not about one record (an export, a bulk
/// action, an import) or whose record goes away (a purge, the removed side of a merge), so the
/// record's own timeline cannot keep them. No foreign keys: the log outlives what it describes.
/// </summary>
internal sealed class AuditEntry
{
    public Guid Id { get; set; }

    public DateTimeOffset At { get; set; }

    public Guid? UserId { get; set; }

    public string UserName { get; set; } = "";

    /// <summary>One of <see cref="Audit.ClientAudit.Actions"/>: "export", "bulk", "purge", "merge", "import", "restore".</summary>
    public string Action { get; set; } = "";

    public ClientKind? RecordKind { get; set; }

    public Guid? RecordId { get; set; }

    /// <summary>How many records or rows the action touched, when it touched many.</summary>
    public int? Count { get; set; }

    /// <summary>What, with which filter or format: plain text for the admin's eyes, not parsed.</summary>
    public string Summary { get; set; } = "";
}
