using Crm.Identity.Data;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Identity.Integration;

/// <summary>
/// Users in the header search, for those who administer users: the hit opens the admin user page,
/// which nobody else may open, so other roles get no user hits at all.
/// </summary>
internal sealed class UserSearchProvider(IdentityDbContext db, ICurrentUser currentUser, IStringLocalizer<IdentityStrings> L)
    : IGlobalSearchProvider
{
    public int Order => 900;

    public async Task<SearchGroup> SearchAsync(string query, SearchMode mode, int limit, CancellationToken cancellationToken)
    {
        var title = L["Users"];
        if (!currentUser.IsInRole(BuiltInRoles.Admin) || query.Length < 2 || mode != SearchMode.Literal)
        {
            return new SearchGroup("users", title, []);
        }

        var pattern = "%" + EscapeLike(query) + "%";
        var hits = await db.Users.AsNoTracking()
            .Where(u => EF.Functions.ILike(u.FullName, pattern, "\\") || EF.Functions.ILike(u.Email!, pattern, "\\"))
            .OrderBy(u => u.FullName)
            .Take(limit)
            .Select(u => new SearchHit(u.FullName, u.Email, "/admin/users/" + u.Id + "/edit"))
            .ToListAsync(cancellationToken);
        return new SearchGroup("users", title, hits);
    }

    internal static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
