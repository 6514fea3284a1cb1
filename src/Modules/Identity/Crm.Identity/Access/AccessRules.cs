using Crm.Identity.Contracts;
using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Crm.Identity.Access;

/// <summary>
/// The rights table, the department tree and the active users, small and read on nearly every request,
/// kept in memory and dropped whenever an admin page changes them. One process serves the app, so a
/// process-local cache is exact.
/// </summary>
internal sealed class AccessRules(IdentityDbContext db, IMemoryCache cache)
{
    private const string ScopesKey = "identity:role-scopes";
    private const string DepartmentsKey = "identity:departments";
    private const string ActiveUsersKey = "identity:active-users";

    public async Task<IReadOnlyDictionary<(Guid RoleId, string Kind, AccessAction Action), AccessScope>> GetScopesAsync(CancellationToken cancellationToken) =>
        (await cache.GetOrCreateAsync(ScopesKey, async _ =>
        {
            var rows = await db.RoleScopes.AsNoTracking().ToListAsync(cancellationToken);
            return (IReadOnlyDictionary<(Guid, string, AccessAction), AccessScope>)rows.ToDictionary(
                r => (r.RoleId, r.EntityKind, r.Action), r => r.Scope);
        }))!;

    public async Task<IReadOnlyList<Department>> GetDepartmentsAsync(CancellationToken cancellationToken) =>
        (await cache.GetOrCreateAsync(DepartmentsKey, async _ =>
            (IReadOnlyList<Department>)await db.Departments.AsNoTracking().OrderBy(d => d.Name).ToListAsync(cancellationToken)))!;

    /// <summary>Active users by name: every owner picker and name lookup reads it, so it stays in memory.</summary>
    public async Task<IReadOnlyList<UserSummary>> GetActiveUsersAsync(CancellationToken cancellationToken) =>
        (await cache.GetOrCreateAsync(ActiveUsersKey, async _ =>
            (IReadOnlyList<UserSummary>)await db.Users.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.FullName)
                .Select(u => new UserSummary(u.Id, u.FullName, u.Email!, u.DepartmentId, u.IsActive) { TimeZoneId = u.TimeZoneId })
                .ToListAsync(cancellationToken)))!;

    public void UsersChanged() => cache.Remove(ActiveUsersKey);

    public void ScopesChanged() => cache.Remove(ScopesKey);

    public void DepartmentsChanged() => cache.Remove(DepartmentsKey);
}
