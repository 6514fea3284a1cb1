using Crm.Identity.Access;
using Crm.Identity.Contracts;
using Crm.Identity.Data;
using Microsoft.EntityFrameworkCore;

namespace Crm.Identity.Integration;

internal sealed class UserDirectory(IdentityDbContext db, AccessRules rules) : IUserDirectory
{
    public async Task<UserSummary?> FindUserAsync(Guid userId, CancellationToken cancellationToken = default) =>
        (await GetUsersAsync([userId], cancellationToken)).GetValueOrDefault(userId);

    public async Task<IReadOnlyDictionary<Guid, UserSummary>> GetUsersAsync(IEnumerable<Guid> userIds, CancellationToken cancellationToken = default)
    {
        var ids = userIds.Distinct().ToArray();
        return await db.Users.AsNoTracking()
            .Where(u => ids.Contains(u.Id))
            .Select(u => new UserSummary(u.Id, u.FullName, u.Email!, u.DepartmentId, u.IsActive) { TimeZoneId = u.TimeZoneId })
            .ToDictionaryAsync(u => u.Id, cancellationToken);
    }

    public async Task<IReadOnlyList<UserSummary>> GetActiveUsersAsync(IReadOnlyCollection<Guid>? departmentIds = null, CancellationToken cancellationToken = default)
    {
        var all = await rules.GetActiveUsersAsync(cancellationToken);
        return departmentIds is null ? all : all.Where(u => departmentIds.Contains(u.DepartmentId)).ToList();
    }

    public async Task<IReadOnlyList<DepartmentSummary>> GetDepartmentsAsync(CancellationToken cancellationToken = default) =>
        (await rules.GetDepartmentsAsync(cancellationToken))
            .Select(d => new DepartmentSummary(d.Id, d.Name, d.ParentId, d.HeadUserId))
            .ToList();
}
