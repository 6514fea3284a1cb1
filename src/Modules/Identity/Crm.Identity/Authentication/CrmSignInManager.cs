using Crm.Identity.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Identity.Authentication;

/// <summary>Refuses sign-in to deactivated users, on the page and at the API token endpoint alike.</summary>
internal sealed class CrmSignInManager(
    UserManager<CrmUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<CrmUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<CrmUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<CrmUser> confirmation)
    : SignInManager<CrmUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(CrmUser user) =>
        user.IsActive && await base.CanSignInAsync(user);
}
