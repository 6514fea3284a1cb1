using System.Globalization;
using System.Security.Claims;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Crm.Identity.Authentication;

/// <summary>Puts the profile the layout needs on every request (name, language, time zone) into the principal.</summary>
internal sealed class CrmClaimsPrincipalFactory(
    UserManager<CrmUser> userManager,
    RoleManager<CrmRole> roleManager,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<CrmUser, CrmRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(CrmUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(CrmClaimTypes.DisplayName, user.FullName));
        identity.AddClaim(new Claim(CrmClaimTypes.Culture, user.Culture));
        identity.AddClaim(new Claim(CrmClaimTypes.TimeZone, user.TimeZoneId));
        identity.AddClaim(new Claim(CrmClaimTypes.DepartmentId, user.DepartmentId.ToString()));
        identity.AddClaim(new Claim(CrmClaimTypes.ProfileVersion, user.ProfileVersion.ToString(CultureInfo.InvariantCulture)));
        return identity;
    }
}
