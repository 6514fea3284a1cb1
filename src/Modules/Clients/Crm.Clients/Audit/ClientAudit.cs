using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.SharedKernel.Access;

namespace Crm.Clients.Audit;

/// <summary>
/// Writes the Clients audit log (<c>clients.audit_log</c>, shown at /admin/audit) with the current user
/// and time. Per-record events (created, changed, owner, deleted) stay on the record's timeline; this
/// log keeps what a timeline cannot: list-level actions and records that go away.
/// <para>
/// <see cref="Record"/> only adds the row to the DbContext, so it is saved by the same SaveChanges
/// (and transaction) as the action it describes: no log line for an action that failed, no action
/// without its line. Use <see cref="RecordNowAsync"/> where nothing else is saved (an export).
/// </para>
/// </summary>
internal sealed class ClientAudit(ClientsDbContext db, ICurrentUser currentUser, TimeProvider clock)
{
    public const int SummaryLength = 2000;

    /// <summary>The actions the log knows; the admin page filters by them.</summary>
    public static class Actions
    {
        public const string Export = "export";
        public const string Bulk = "bulk";
        public const string Purge = "purge";
        public const string Restore = "restore";
        public const string Merge = "merge";
        public const string Import = "import";

        public static readonly string[] All = [Export, Bulk, Purge, Restore, Merge, Import];
    }

    /// <summary>
    /// Adds a line to the log, saved with the caller's next SaveChanges.
    /// </summary>
    /// <param name="action">One of <see cref="Actions"/> (e.g. <c>ClientAudit.Actions.Import</c>).</param>
    /// <param name="kind">The kind of records concerned, or null when mixed.</param>
    /// <param name="recordId">The one record concerned (its card links from the log), or null for a list-level action.</param>
    /// <param name="count">How many records or rows, or null.</param>
    /// <param name="summary">What, with which file, filter or format, in plain words; cut at 2 000 characters.</param>
    public void Record(string action, ClientKind? kind, Guid? recordId, int? count, string summary) =>
        db.AuditLog.Add(new AuditEntry
        {
            Id = Guid.CreateVersion7(),
            At = clock.GetUtcNow(),
            UserId = currentUser.IsAuthenticated ? currentUser.Id : null,
            UserName = currentUser.IsAuthenticated ? Cut(currentUser.DisplayName, 200) : "",
            Action = action,
            RecordKind = kind,
            RecordId = recordId,
            Count = count,
            Summary = Cut(summary, SummaryLength),
        });

    /// <summary>Adds a line and saves it at once, for actions that save nothing themselves (an export).</summary>
    public async Task RecordNowAsync(string action, ClientKind? kind, Guid? recordId, int? count, string summary, CancellationToken cancellationToken)
    {
        Record(action, kind, recordId, count, summary);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A list filter as "q=…; owner=…; tag=…; idle=…", only the parts set; "no filter" when none is.</summary>
    public static string Filter(string? q, Guid? owner, string? tag, int? idle = null, Guid? segment = null)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(q))
        {
            parts.Add($"q={q.Trim()}");
        }

        if (owner is not null)
        {
            parts.Add($"owner={owner}");
        }

        if (!string.IsNullOrWhiteSpace(tag))
        {
            parts.Add($"tag={tag.Trim()}");
        }

        if (idle is not null)
        {
            parts.Add($"idle={idle}");
        }

        if (segment is not null)
        {
            parts.Add($"segment={segment}");
        }

        return parts.Count == 0 ? "no filter" : string.Join("; ", parts);
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];
}
