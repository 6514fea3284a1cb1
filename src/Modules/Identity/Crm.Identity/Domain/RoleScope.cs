using Crm.SharedKernel.Access;

namespace Crm.Identity.Domain;

/// <summary>
/// One cell of the rights matrix: what a role may do with a kind of record, and how far. A row with
/// entity kind "*" is the role's default for kinds without a row of their own. The editable matrix
/// page (a later issue) writes these rows; callers of <see cref="IAccessPolicy"/> do not change.
/// </summary>
internal sealed class RoleScope
{
    public Guid RoleId { get; set; }

    public string EntityKind { get; set; } = EntityKinds.Any;

    public AccessAction Action { get; set; }

    public AccessScope Scope { get; set; }

    /// <summary>Defaults for the built-in roles: a manager works their own records, a head the department's, an admin all.</summary>
    public static AccessScope DefaultFor(string role) => role switch
    {
        BuiltInRoles.Admin => AccessScope.All,
        BuiltInRoles.SalesHead => AccessScope.Department,
        BuiltInRoles.Manager => AccessScope.Own,
        _ => AccessScope.None,
    };
}
