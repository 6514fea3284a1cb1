using Crm.Identity.Data;
using Microsoft.EntityFrameworkCore;

namespace Crm.Identity.Areas.Identity.Features.Users;

internal sealed class UserListQuery
{
    public string? Q { get; set; }

    public Guid? Department { get; set; }

    /// <summary>"active" (default), "inactive" or "all".</summary>
    public string? Status { get; set; }

    /// <summary>Keyset cursor: the id of the last user of the previous page.</summary>
    public Guid? After { get; set; }
}

internal sealed record UserRow(Guid Id, string FullName, string Email, Guid DepartmentId, bool IsActive, IReadOnlyList<string> Roles);

/// <summary>
/// The users list, by name, loaded by keyset: (full_name, id) &gt; (the cursor's) with a row-value
/// comparison, so the 100th page is as fast as the first and no count(*) is needed.
/// </summary>
internal static class UserList
{
    public static async Task<(IReadOnlyList<UserRow> Rows, Guid? NextAfter)> LoadAsync(
        IdentityDbContext db, UserListQuery query, int pageSize, CancellationToken cancellationToken)
    {
        var users = db.Users.AsNoTracking();
        users = query.Status switch
        {
            "inactive" => users.Where(u => !u.IsActive),
            "all" => users,
            _ => users.Where(u => u.IsActive),
        };
        if (query.Department is { } department)
        {
            users = users.Where(u => u.DepartmentId == department);
        }

        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var pattern = "%" + Integration.UserSearchProvider.EscapeLike(query.Q.Trim()) + "%";
            users = users.Where(u => EF.Functions.ILike(u.FullName, pattern, "\\") || EF.Functions.ILike(u.Email!, pattern, "\\"));
        }

        if (query.After is { } after)
        {
            var cursor = await db.Users.Where(u => u.Id == after).Select(u => new { u.FullName, u.Id }).SingleOrDefaultAsync(cancellationToken);
            if (cursor is not null)
            {
                users = users.Where(u => EF.Functions.GreaterThan(
                    ValueTuple.Create(u.FullName, u.Id),
                    ValueTuple.Create(cursor.FullName, cursor.Id)));
            }
        }

        var rows = await users
            .OrderBy(u => u.FullName).ThenBy(u => u.Id)
            .Take(pageSize + 1)
            .Select(u => new UserRow(
                u.Id,
                u.FullName,
                u.Email!,
                u.DepartmentId,
                u.IsActive,
                db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name!).ToList()))
            .ToListAsync(cancellationToken);
        var hasMore = rows.Count > pageSize;
        return hasMore ? (rows[..pageSize], rows[pageSize - 1].Id) : (rows, null);
    }
}
