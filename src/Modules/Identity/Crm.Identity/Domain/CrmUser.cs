using Microsoft.AspNetCore.Identity;

namespace Crm.Identity.Domain;

/// <summary>A person who signs in. Never deleted: a deactivated user keeps their records for reassignment.</summary>
internal sealed class CrmUser : IdentityUser<Guid>
{
    public string FullName { get; set; } = "";

    public Guid DepartmentId { get; set; }

    /// <summary>Interface language, "ru" or "en".</summary>
    public string Culture { get; set; } = "ru";

    /// <summary>IANA time zone id, e.g. "Europe/Moscow".</summary>
    public string TimeZoneId { get; set; } = "Europe/Moscow";

    public bool IsActive { get; set; } = true;

    /// <summary>
    /// Bumped when roles, department, name or preferences change. Open sessions compare it on every
    /// request and refresh their claims quietly, unlike the security stamp, whose change signs them out.
    /// </summary>
    public int ProfileVersion { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DeactivatedAt { get; set; }
}

internal sealed class CrmRole : IdentityRole<Guid>
{
    public bool IsBuiltIn { get; set; }
}
