using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Crm.Identity.Access;

/// <summary>
/// The rights table and the department tree, both small and read on nearly every request, kept in
/// memory and dropped whenever an admin page changes them. One process serves the app, so a
/// process-local cache is exact.
/// </summary>
internal sealed class AccessRules(IdentityDbContext db, IMemoryCache cache)
{
    private const string ScopesKey = "identity:role-scopes";
    private const string DepartmentsKey = "identity:departments";

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

    public void ScopesChanged() => cache.Remove(ScopesKey);

    public void DepartmentsChanged() => cache.Remove(DepartmentsKey);
}
