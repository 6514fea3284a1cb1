using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.SharedKernel.Access;

namespace Crm.Deals.Audit;

/// <summary>
/// Writes the deals audit log with the current user and time. <see cref="Record"/> only adds the row,
/// so it is saved by the same SaveChanges (and transaction) as the action it describes.
/// </summary>
internal sealed class DealAudit(DealsDbContext db, ICurrentUser currentUser, TimeProvider clock)
{
    public const int SummaryLength = 4000;

    public static class Actions
    {
        public const string Created = "created";
        public const string Changed = "changed";
        public const string Moved = "moved";
        public const string Forced = "forced";
        public const string Reopened = "reopened";
        public const string PipelineChanged = "pipeline";
        public const string Reassigned = "reassigned";
        public const string Deleted = "deleted";
        public const string Export = "export";
        public const string Settings = "settings";

        public static readonly string[] All = [Created, Changed, Moved, Forced, Reopened, PipelineChanged, Reassigned, Deleted, Export, Settings];
    }

    public void Record(string action, Guid? dealId, string summary, int? count = null) =>
        db.AuditLog.Add(new DealAuditEntry
        {
            Id = Guid.CreateVersion7(),
            At = clock.GetUtcNow(),
            UserId = currentUser.IsAuthenticated ? currentUser.Id : null,
            UserName = currentUser.IsAuthenticated ? Cut(currentUser.DisplayName, 200) : "",
            Action = action,
            DealId = dealId,
            Count = count,
            Summary = Cut(summary, SummaryLength),
        });

    public async Task RecordNowAsync(string action, Guid? dealId, string summary, int? count, CancellationToken cancellationToken)
    {
        Record(action, dealId, summary, count);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];
}
