using Crm.Deals.Access;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;

namespace Crm.Deals.Api;

/// <summary>
/// The users a deal may be given to by the current user for an action (create, edit): everyone active
/// for an "all" scope, the active users of the departments in reach for a department scope, only
/// oneself for "own". Forms, the API and bulk reassign check an owner against this one list.
/// </summary>
internal sealed class DealOwnerChoices(DealAccess access, IUserDirectory users)
{
    public async Task<IReadOnlyList<UserSummary>> ForAsync(AccessAction action, CancellationToken cancellationToken)
    {
        var filter = await access.FilterAsync(action, cancellationToken);
        switch (filter.Scope)
        {
            case AccessScope.All:
                return await users.GetActiveUsersAsync(cancellationToken: cancellationToken);
            case AccessScope.Department:
                var inReach = await users.GetActiveUsersAsync(filter.DepartmentIds, cancellationToken);
                if (inReach.All(u => u.Id != filter.UserId) && await users.FindUserAsync(filter.UserId, cancellationToken) is { IsActive: true } self)
                {
                    return [self, .. inReach];
                }

                return inReach;
            case AccessScope.Own:
                return await users.FindUserAsync(filter.UserId, cancellationToken) is { IsActive: true } me ? [me] : [];
            default:
                return [];
        }
    }
}
