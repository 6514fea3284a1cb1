using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;

namespace Crm.Deals.Access;

/// <summary>
/// The users a deal may be given to by the current user for an action (create, edit): everyone active
/// for an "all" scope, the active users of the departments in reach (and oneself) for a department
/// scope, only oneself for "own". The form, the API and bulk reassign check an owner against this one list.
/// </summary>
internal sealed class DealOwners(DealAccess access, IUserDirectory users)
{
    public async Task<IReadOnlyList<UserSummary>> ChoicesAsync(AccessAction action, CancellationToken cancellationToken)
    {
        var filter = await access.FilterAsync(action, cancellationToken);
        switch (filter.Scope)
        {
            case AccessScope.All:
                return await users.GetActiveUsersAsync(cancellationToken: cancellationToken);
            case AccessScope.Department:
                var inReach = await users.GetActiveUsersAsync(filter.DepartmentIds, cancellationToken);
                var self = inReach.Any(u => u.Id == filter.UserId) ? null : await users.FindUserAsync(filter.UserId, cancellationToken);
                return self is { IsActive: true } ? [.. inReach.Append(self).OrderBy(u => u.FullName, StringComparer.CurrentCulture)] : inReach;
            case AccessScope.Own:
                return await users.FindUserAsync(filter.UserId, cancellationToken) is { IsActive: true } me ? [me] : [];
            default:
                return [];
        }
    }
}
