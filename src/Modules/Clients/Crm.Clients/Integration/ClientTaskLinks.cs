using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.SharedKernel.Events;
using Crm.Tasks.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Integration;

/// <summary>
/// Leads, companies and contacts as records tasks can be set on (the Tasks module's link contract): found
/// and searched within the user's view scope, their timelines told of tasks set and done.
/// </summary>
internal abstract class ClientTaskLink(IClientDirectory directory, IClientTimeline timeline, ClientKind kind) : ITaskLinkTarget
{
    public abstract string Kind { get; }

    public string Label => kind.ToString();

    public Type Strings => typeof(ClientsStrings);

    public async Task<LinkedRecord?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await directory.FindAsync(kind, id, cancellationToken) is { } found ? ToLink(found) : null;

    public async Task<IReadOnlyList<LinkedRecord>> SearchAsync(string text, int limit, CancellationToken cancellationToken) =>
        (await directory.SearchAsync(kind, text, limit, cancellationToken)).Select(ToLink).ToList();

    public Task WriteTimelineAsync(Guid id, TaskTimelineLine line, CancellationToken cancellationToken) =>
        timeline.WriteAsync(new TimelineWrite(kind, id, "task", line.Subject, line.Text, line.AuthorId, line.Link), cancellationToken);

    private LinkedRecord ToLink(ClientSummary summary) => new(Kind, summary.Id, summary.Name, summary.Url, summary.OwnerId);
}

internal sealed class LeadTaskLink(IClientDirectory directory, IClientTimeline timeline) : ClientTaskLink(directory, timeline, ClientKind.Lead)
{
    public override string Kind => TaskLinkKinds.Lead;
}

internal sealed class CompanyTaskLink(IClientDirectory directory, IClientTimeline timeline) : ClientTaskLink(directory, timeline, ClientKind.Company)
{
    public override string Kind => TaskLinkKinds.Company;
}

internal sealed class ContactTaskLink(IClientDirectory directory, IClientTimeline timeline) : ClientTaskLink(directory, timeline, ClientKind.Contact)
{
    public override string Kind => TaskLinkKinds.Contact;
}

/// <summary>
/// Keeps a client record's "next task" and "last activity" dates from the Tasks module's event: one
/// set-based update; last activity only ever moves forward (a note or call may be later than any task).
/// </summary>
internal sealed class TaskActivityHandler(ClientsDbContext db) : IIntegrationEventHandler<TaskActivityChanged>
{
    public async Task HandleAsync(TaskActivityChanged e, CancellationToken ct)
    {
        var next = e.NextTaskDueAt;
        var last = e.LastActivityAt;
        switch (e.Kind)
        {
            case TaskLinkKinds.Company:
                await db.Companies.Where(c => c.Id == e.RecordId).ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.NextTaskAt, next)
                    .SetProperty(c => c.LastActivityAt, c => last != null && (c.LastActivityAt == null || c.LastActivityAt < last) ? last : c.LastActivityAt), ct);
                break;
            case TaskLinkKinds.Contact:
                await db.Contacts.Where(c => c.Id == e.RecordId).ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.NextTaskAt, next)
                    .SetProperty(c => c.LastActivityAt, c => last != null && (c.LastActivityAt == null || c.LastActivityAt < last) ? last : c.LastActivityAt), ct);
                break;
            case TaskLinkKinds.Lead:
                await db.Leads.Where(c => c.Id == e.RecordId).ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.NextTaskAt, next)
                    .SetProperty(c => c.LastActivityAt, c => last != null && (c.LastActivityAt == null || c.LastActivityAt < last) ? last : c.LastActivityAt), ct);
                break;
        }
    }
}
