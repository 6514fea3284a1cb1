using Crm.Clients.Access;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Integration;

internal sealed class ClientDirectory(ClientsDbContext db, ClientAccess access) : IClientDirectory
{
    public async Task<ClientSummary?> FindAsync(ClientKind kind, Guid id, CancellationToken cancellationToken = default)
    {
        var filter = await access.FilterAsync(kind, AccessAction.View, cancellationToken);
        return kind switch
        {
            ClientKind.Company => await ClientAccess.Within(db.Companies.AsNoTracking(), filter).Where(c => c.Id == id)
                .Select(c => new ClientSummary(kind, c.Id, c.Name, c.OwnerId, "/companies/" + c.Id)).SingleOrDefaultAsync(cancellationToken),
            ClientKind.Contact => await ClientAccess.Within(db.Contacts.AsNoTracking(), filter).Where(c => c.Id == id)
                .Select(c => new ClientSummary(kind, c.Id, c.FullName, c.OwnerId, "/contacts/" + c.Id)).SingleOrDefaultAsync(cancellationToken),
            _ => await ClientAccess.Within(db.Leads.AsNoTracking(), filter).Where(l => l.Id == id)
                .Select(l => new ClientSummary(kind, l.Id, l.Name, l.OwnerId, "/leads/" + l.Id)).SingleOrDefaultAsync(cancellationToken),
        };
    }

    public async Task<IReadOnlyList<ClientSummary>> SearchAsync(ClientKind kind, string text, int limit, CancellationToken cancellationToken = default)
    {
        var filter = await access.FilterAsync(kind, AccessAction.View, cancellationToken);
        var take = Math.Clamp(limit, 1, 500);
        return kind switch
        {
            ClientKind.Company => await ClientFilters.Text(ClientAccess.Within(db.Companies.AsNoTracking(), filter), text).OrderBy(c => c.Name).Take(take)
                .Select(c => new ClientSummary(kind, c.Id, c.Name, c.OwnerId, "/companies/" + c.Id)).ToListAsync(cancellationToken),
            ClientKind.Contact => await ClientFilters.Text(ClientAccess.Within(db.Contacts.AsNoTracking(), filter), text).OrderBy(c => c.FullName).Take(take)
                .Select(c => new ClientSummary(kind, c.Id, c.FullName, c.OwnerId, "/contacts/" + c.Id)).ToListAsync(cancellationToken),
            _ => await ClientFilters.Text(ClientAccess.Within(db.Leads.AsNoTracking(), filter), text).OrderBy(l => l.Name).Take(take)
                .Select(l => new ClientSummary(kind, l.Id, l.Name, l.OwnerId, "/leads/" + l.Id)).ToListAsync(cancellationToken),
        };
    }

    public Task<Guid?> FindSurvivorAsync(Guid mergedId, CancellationToken cancellationToken = default) =>
        ClientMerge.SurvivorAsync(db, mergedId, null, cancellationToken);
}

/// <summary>Timeline entries from any module, stamped with the time and touching the record's last activity.</summary>
internal sealed class ClientTimeline(ClientsDbContext db, ICurrentUser currentUser, TimeProvider clock) : IClientTimeline
{
    public async Task WriteAsync(TimelineWrite entry, CancellationToken cancellationToken = default)
    {
        db.Timeline.Add(new TimelineEntry
        {
            Id = Guid.CreateVersion7(),
            RecordKind = entry.RecordKind,
            RecordId = entry.RecordId,
            Kind = entry.Kind,
            Subject = entry.Subject,
            Text = entry.Text,
            AuthorId = entry.AuthorId,

            // The timeline shows names, not ids: the author of a line another module writes is nearly always the one acting.
            AuthorName = entry.AuthorId is { } author && currentUser.IsAuthenticated && currentUser.Id == author ? currentUser.DisplayName : null,
            Link = entry.Link,
            CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
