using System.Globalization;
using System.Security.Claims;
using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Crm.Identity.Authentication;

/// <summary>
/// Checks the sign-in cookie against the user row on every request with one small indexed query:
/// a deactivated user or a changed security stamp (password reset) ends the session at the next
/// request; a changed profile version (roles, department, language) quietly re-issues the claims.
/// Identity's own validator would instead reload the whole user, roles and claims each time.
/// </summary>
internal static class SessionValidator
{
    private static readonly Func<IdentityDbContext, Guid, Task<SessionState?>> LoadState =
        EF.CompileAsyncQuery((IdentityDbContext db, Guid id) => db.Users
            .Where(u => u.Id == id)
            .Select(u => new SessionState(u.IsActive, u.SecurityStamp, u.ProfileVersion))
            .SingleOrDefault());

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (principal is null || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            await RejectAsync(context);
            return;
        }

        var services = context.HttpContext.RequestServices;
        var state = await LoadState(services.GetRequiredService<IdentityDbContext>(), userId);
        var stampClaimType = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        if (state is null || !state.IsActive || state.SecurityStamp != principal.FindFirstValue(stampClaimType))
        {
            await RejectAsync(context);
            return;
        }

        if (principal.FindFirstValue(CrmClaimTypes.ProfileVersion) != state.ProfileVersion.ToString(CultureInfo.InvariantCulture))
        {
            var userManager = services.GetRequiredService<UserManager<CrmUser>>();
            var user = await userManager.FindByIdAsync(userId.ToString());
            if (user is null)
            {
                await RejectAsync(context);
                return;
            }

            var signInManager = services.GetRequiredService<SignInManager<CrmUser>>();
            context.ReplacePrincipal(await signInManager.CreateUserPrincipalAsync(user));
            context.ShouldRenew = true;
        }
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    private sealed record SessionState(bool IsActive, string? SecurityStamp, int ProfileVersion);
}
