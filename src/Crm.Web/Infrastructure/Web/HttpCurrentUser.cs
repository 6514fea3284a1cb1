using System.Security.Claims;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Time;

namespace Crm.Web.Infrastructure.Web;

/// <summary>The current user from the request's principal (cookie or API token), or the user a background job acts for.</summary>
internal sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    private ClaimsPrincipal? Principal => accessor.HttpContext?.User ?? ActingUser.Current;

    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    public Guid Id => Guid.TryParse(Principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
        ? id
        : throw new InvalidOperationException("No signed-in user in this request.");

    public string DisplayName => Principal?.FindFirstValue(CrmClaimTypes.DisplayName) ?? "";

    public TimeZoneInfo TimeZone => TimeZones.Find(Principal?.FindFirstValue(CrmClaimTypes.TimeZone));

    public bool IsInRole(string role) => Principal?.IsInRole(role) == true;
}
