using Crm.Deals.Domain;
using Crm.SharedKernel.Access;

namespace Crm.Deals.Access;

/// <summary>
/// The one place where the Deals module applies the access policy: the board, the list, the card, the
/// export, the API and bulk actions all go through <see cref="Within"/> or <see cref="FilterAsync"/>.
/// </summary>
internal sealed class DealAccess(IAccessPolicy policy)
{
    public Task<AccessFilter> FilterAsync(AccessAction action, CancellationToken cancellationToken) =>
        policy.GetFilterAsync(EntityKinds.Deal, action, cancellationToken);

    /// <summary>Live (not deleted) deals within the filter's reach.</summary>
    public static IQueryable<Deal> Within(IQueryable<Deal> deals, AccessFilter filter)
    {
        var live = deals.Where(d => d.DeletedAt == null);
        var userId = filter.UserId;
        var departments = filter.DepartmentIds.ToArray();
        return filter.Scope switch
        {
            AccessScope.All => live,
            AccessScope.Department => live.Where(d => d.OwnerId == userId || departments.Contains(d.OwnerDepartmentId)),
            AccessScope.Own => live.Where(d => d.OwnerId == userId),
            _ => live.Where(d => false),
        };
    }
}
