using System.Runtime.CompilerServices;
using Crm.Clients.Access;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Integration;

internal sealed class ClientSegments(ClientsDbContext db, ClientAccess access, ICurrentUser currentUser, TimeProvider clock) : IClientSegments
{
    public async Task<IReadOnlyList<SegmentSummary>> ListAsync(ClientKind kind, CancellationToken cancellationToken = default)
    {
        var me = currentUser.Id;
        return await db.Segments.AsNoTracking()
            .Where(s => s.Kind == kind && (s.AuthorId == me || s.IsShared))
            .OrderBy(s => s.Name)
            .Select(s => new SegmentSummary(s.Id, s.Kind, s.Name, s.IsShared))
            .ToListAsync(cancellationToken);
    }

    public async IAsyncEnumerable<Guid> MatchingIdsAsync(Guid segmentId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var me = currentUser.Id;
        var segment = await db.Segments.AsNoTracking().SingleOrDefaultAsync(s => s.Id == segmentId && (s.AuthorId == me || s.IsShared), cancellationToken);
        if (segment is null)
        {
            yield break;
        }

        var filter = await access.FilterAsync(segment.Kind, AccessAction.View, cancellationToken);
        var ids = segment.Kind switch
        {
            ClientKind.Company => Apply(ClientFilters.Text(ClientAccess.Within(db.Companies.AsNoTracking(), filter), segment.Text), segment).Select(r => r.Id),
            ClientKind.Contact => Apply(ClientFilters.Text(ClientAccess.Within(db.Contacts.AsNoTracking(), filter), segment.Text), segment).Select(r => r.Id),
            _ => Apply(ClientFilters.Text(ClientAccess.Within(db.Leads.AsNoTracking(), filter), segment.Text), segment).Select(r => r.Id),
        };
        await foreach (var id in ids.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return id;
        }
    }

    private IQueryable<T> Apply<T>(IQueryable<T> records, Segment segment)
        where T : ClientRecord =>
        ClientFilters.Period(
            ClientFilters.Idle(ClientFilters.OwnerAndTag(records, segment.OwnerFilter, segment.Tag), segment.IdleDays, clock.GetUtcNow()),
            new ListPeriod(segment.CreatedFrom, segment.CreatedTo, segment.UpdatedFrom, segment.UpdatedTo), currentUser.TimeZone);
}
