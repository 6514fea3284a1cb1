using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;

namespace Crm.Identity.Access;

/// <summary>
/// Resolves a right for the current user: the widest scope any of the user's roles grants for the
/// kind (or the role's "*" row when the kind has none). Roles and department are read from the
/// database once per request, not from the cookie, so an admin's change applies at once.
/// </summary>
internal sealed class AccessPolicy(IdentityDbContext db, ICurrentUser currentUser, AccessRules rules) : IAccessPolicy
{
    private UserAccess? _user;

    public async Task<AccessScope> GetScopeAsync(string entityKind, AccessAction action, CancellationToken cancellationToken = default) =>
        (await GetFilterAsync(entityKind, action, cancellationToken)).Scope;

    public async Task<AccessFilter> GetFilterAsync(string entityKind, AccessAction action, CancellationToken cancellationToken = default)
    {
        if (!currentUser.IsAuthenticated)
        {
            return AccessFilter.Denied(Guid.Empty);
        }

        var user = await LoadUserAsync(cancellationToken);
        if (user is null)
        {
            return AccessFilter.Denied(currentUser.Id);
        }

        var scopes = await rules.GetScopesAsync(cancellationToken);
        var scope = Resolve(scopes, user.RoleIds, entityKind, action);
        if (scope != AccessScope.Department)
        {
            return new AccessFilter(scope, currentUser.Id, []);
        }

        var departments = await rules.GetDepartmentsAsync(cancellationToken);
        return new AccessFilter(scope, currentUser.Id, Department.SelfAndDescendants(user.DepartmentId, departments));
    }

    internal static AccessScope Resolve(
        IReadOnlyDictionary<(Guid RoleId, string Kind, AccessAction Action), AccessScope> scopes,
        IEnumerable<Guid> roleIds,
        string entityKind,
        AccessAction action)
    {
        var widest = AccessScope.None;
        foreach (var roleId in roleIds)
        {
            if (!scopes.TryGetValue((roleId, entityKind, action), out var scope)
                && !scopes.TryGetValue((roleId, EntityKinds.Any, action), out scope))
            {
                continue;
            }

            if (scope > widest)
            {
                widest = scope;
            }
        }

        return widest;
    }

    private async Task<UserAccess?> LoadUserAsync(CancellationToken cancellationToken)
    {
        if (_user is not null)
        {
            return _user;
        }

        var userId = currentUser.Id;
        var row = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && u.IsActive)
            .Select(u => new { u.DepartmentId, RoleIds = db.UserRoles.Where(r => r.UserId == u.Id).Select(r => r.RoleId).ToList() })
            .SingleOrDefaultAsync(cancellationToken);
        _user = row is null ? null : new UserAccess(row.DepartmentId, row.RoleIds);
        return _user;
    }

    private sealed record UserAccess(Guid DepartmentId, IReadOnlyList<Guid> RoleIds);
}
