using Crm.Clients.Contracts;
using Crm.Clients.Domain;
using Crm.SharedKernel.Access;

namespace Crm.Clients.Access;

/// <summary>
/// The one place where the Clients module applies the access policy to its queries: every list, card,
/// search hit, export and API call goes through <see cref="Within{T}"/> or <see cref="AllowsAsync"/>.
/// </summary>
internal sealed class ClientAccess(IAccessPolicy policy)
{
    public static string EntityKind(ClientKind kind) => kind switch
    {
        ClientKind.Lead => EntityKinds.Lead,
        ClientKind.Company => EntityKinds.Company,
        _ => EntityKinds.Contact,
    };

    public Task<AccessFilter> FilterAsync(ClientKind kind, AccessAction action, CancellationToken cancellationToken) =>
        policy.GetFilterAsync(EntityKind(kind), action, cancellationToken);

    public async Task<bool> AllowsAsync(ClientRecord record, AccessAction action, CancellationToken cancellationToken) =>
        (await FilterAsync(record.Kind, action, cancellationToken)).Allows(record.OwnerId, record.OwnerDepartmentId);

    /// <summary>Live (not deleted) records within the filter's reach.</summary>
    public static IQueryable<T> Within<T>(IQueryable<T> records, AccessFilter filter)
        where T : ClientRecord =>
        Scoped(records.Where(r => r.DeletedAt == null), filter);

    /// <summary>Records in the recycle bin within the filter's reach.</summary>
    public static IQueryable<T> DeletedWithin<T>(IQueryable<T> records, AccessFilter filter)
        where T : ClientRecord =>
        Scoped(records.Where(r => r.DeletedAt != null), filter);

    private static IQueryable<T> Scoped<T>(IQueryable<T> records, AccessFilter filter)
        where T : ClientRecord
    {
        var userId = filter.UserId;
        var departments = filter.DepartmentIds.ToArray();
        return filter.Scope switch
        {
            AccessScope.All => records,
            AccessScope.Department => records.Where(r => r.OwnerId == userId || departments.Contains(r.OwnerDepartmentId)),
            AccessScope.Own => records.Where(r => r.OwnerId == userId),
            _ => records.Where(r => false),
        };
    }
}
