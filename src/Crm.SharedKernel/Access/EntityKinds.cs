namespace Crm.SharedKernel.Access;

/// <summary>
/// Names of the record kinds that rights are granted on. Modules add theirs here so that the rights
/// matrix (stored by Identity) can list every kind; "*" is the default row a role falls back to.
/// </summary>
public static class EntityKinds
{
    public const string Any = "*";
    public const string User = "user";
    public const string Lead = "lead";
    public const string Company = "company";
    public const string Contact = "contact";
    public const string Deal = "deal";
    public const string Task = "task";
}

public static class BuiltInRoles
{
    public const string Admin = "Admin";
    public const string SalesHead = "SalesHead";
    public const string Manager = "Manager";

    public static readonly IReadOnlyList<string> All = [Admin, SalesHead, Manager];
}
