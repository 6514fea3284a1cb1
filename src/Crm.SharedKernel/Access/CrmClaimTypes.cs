namespace Crm.SharedKernel.Access;

/// <summary>Claims the sign-in cookie and API tokens carry besides the standard ones.</summary>
public static class CrmClaimTypes
{
    public const string DisplayName = "crm:name";
    public const string Culture = "crm:culture";
    public const string TimeZone = "crm:tz";
    public const string DepartmentId = "crm:dept";

    /// <summary>Bumped when roles, department or preferences change, so open sessions refresh their claims.</summary>
    public const string ProfileVersion = "crm:pv";
}

/// <summary>The authorization policy every REST API route requires: a personal bearer token, never the cookie.</summary>
public static class ApiAuthorization
{
    public const string Policy = "api";
    public const string Scheme = "ApiToken";
}
