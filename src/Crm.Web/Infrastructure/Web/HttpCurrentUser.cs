using System.Collections.Concurrent;
using System.Security.Claims;
using Crm.SharedKernel.Access;

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

    public TimeZoneInfo TimeZone => Principal?.FindFirstValue(CrmClaimTypes.TimeZone) is { } id ? Zones.GetOrAdd(id, Find) : TimeZoneInfo.Utc;

    /// <summary>
    /// Zones by id, found once: pages ask for the zone of every date they write, and the system lookup takes a
    /// process-wide lock (under load, requests queued on it).
    /// </summary>
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    private static TimeZoneInfo Find(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    public bool IsInRole(string role) => Principal?.IsInRole(role) == true;
}
