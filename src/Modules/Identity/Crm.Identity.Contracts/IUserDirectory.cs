namespace Crm.Identity.Contracts;

/// <summary>
/// What other modules read of users and departments: names to display next to an owner id, and the
/// department tree. Keep a copy of what you display and refresh it, rather than asking per row.
/// </summary>
public interface IUserDirectory
{
    Task<UserSummary?> FindUserAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>One query for many ids; unknown ids are simply absent from the result.</summary>
    Task<IReadOnlyDictionary<Guid, UserSummary>> GetUsersAsync(IEnumerable<Guid> userIds, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DepartmentSummary>> GetDepartmentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Active users by name, all of them or those of the given departments: the choices for an owner.</summary>
    Task<IReadOnlyList<UserSummary>> GetActiveUsersAsync(IReadOnlyCollection<Guid>? departmentIds = null, CancellationToken cancellationToken = default);
}

public sealed record UserSummary(Guid Id, string FullName, string Email, Guid DepartmentId, bool IsActive)
{
    /// <summary>The user's IANA time zone from the profile: "tomorrow at 10:00" for this user is 10:00 there.</summary>
    public string TimeZoneId { get; init; } = "UTC";

    /// <summary>Two letters for an avatar: "Anna Petrova" gives "AP".</summary>
    public string Initials => string.Concat(
        FullName.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(part => char.ToUpperInvariant(part[0])));
}

public sealed record DepartmentSummary(Guid Id, string Name, Guid? ParentId, Guid? HeadUserId);
