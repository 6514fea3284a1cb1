namespace Crm.SharedKernel.Access;

/// <summary>
/// Answers, for the current user, how far a right on a kind of record reaches. Every module applies
/// the answer in one place per query (lists, cards, search, export, API, bulk actions), so they cannot
/// disagree. Implemented by the Identity module, which owns roles, departments and the rights table.
/// </summary>
public interface IAccessPolicy
{
    Task<AccessScope> GetScopeAsync(string entityKind, AccessAction action, CancellationToken cancellationToken = default);

    /// <summary>The scope together with what a query needs to apply it: the user and the departments in reach.</summary>
    Task<AccessFilter> GetFilterAsync(string entityKind, AccessAction action, CancellationToken cancellationToken = default);
}

/// <summary>
/// A resolved right: <see cref="DepartmentIds"/> holds the user's department and its sub-departments
/// when the scope is <see cref="AccessScope.Department"/>, and is empty otherwise.
/// </summary>
public sealed record AccessFilter(AccessScope Scope, Guid UserId, IReadOnlyCollection<Guid> DepartmentIds)
{
    public static AccessFilter Denied(Guid userId) => new(AccessScope.None, userId, []);

    /// <summary>Whether a single record with this owner and department is within reach.</summary>
    public bool Allows(Guid ownerId, Guid? ownerDepartmentId) => Scope switch
    {
        AccessScope.All => true,
        AccessScope.Department => ownerId == UserId || (ownerDepartmentId is { } d && DepartmentIds.Contains(d)),
        AccessScope.Own => ownerId == UserId,
        _ => false,
    };
}
