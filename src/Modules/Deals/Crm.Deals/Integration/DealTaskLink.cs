using Crm.Deals.Access;
using Crm.Deals.Audit;
using Crm.Deals.Data;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Events;
using Crm.Tasks.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Crm.Deals.Integration;

/// <summary>Deals as records tasks can be set on: found and searched within the view scope, the deal's timeline told of tasks.</summary>
internal sealed class DealTaskLink(DealsDbContext db, DealAccess access, DealTimeline timeline) : ITaskLinkTarget
{
    public string Kind => TaskLinkKinds.Deal;

    public string Label => "Deal";

    public Type Strings => typeof(DealsStrings);

    public async Task<LinkedRecord?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await DealAccess.Within(db.Deals.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken))
            .Where(d => d.Id == id)
            .Select(d => new LinkedRecord(TaskLinkKinds.Deal, d.Id, d.Title, "/deals/" + d.Id, d.OwnerId))
            .SingleOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<LinkedRecord>> SearchAsync(string text, int limit, CancellationToken cancellationToken)
    {
        var deals = DealAccess.Within(db.Deals.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken));
        if (!string.IsNullOrWhiteSpace(text))
        {
            var pattern = "%" + text.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            deals = deals.Where(d => EF.Functions.ILike(d.Title, pattern));
        }

        return await deals.OrderByDescending(d => d.CreatedAt).Take(Math.Clamp(limit, 1, 500))
            .Select(d => new LinkedRecord(TaskLinkKinds.Deal, d.Id, d.Title, "/deals/" + d.Id, d.OwnerId))
            .ToListAsync(cancellationToken);
    }

    public async Task WriteTimelineAsync(Guid id, TaskTimelineLine line, CancellationToken cancellationToken)
    {
        timeline.Write(id, "task", line.Subject, line.Text);
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>Keeps a deal's "next task" and "last activity" dates from the Tasks module's event (one set-based update).</summary>
internal sealed class DealTaskActivityHandler(DealsDbContext db) : IIntegrationEventHandler<TaskActivityChanged>
{
    public async Task HandleAsync(TaskActivityChanged e, CancellationToken ct)
    {
        if (e.Kind != TaskLinkKinds.Deal)
        {
            return;
        }

        var next = e.NextTaskDueAt;
        var last = e.LastActivityAt;
        await db.Deals.Where(d => d.Id == e.RecordId).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.NextTaskAt, next)
            .SetProperty(d => d.LastActivityAt, d => last != null && (d.LastActivityAt == null || d.LastActivityAt < last) ? last : d.LastActivityAt), ct);
    }
}
