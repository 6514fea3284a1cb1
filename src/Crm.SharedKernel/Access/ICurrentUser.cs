namespace Crm.SharedKernel.Access;

/// <summary>The signed-in user of this request (or of the job acting for a user).</summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }

    /// <summary>Throws when nobody is signed in: callers behind [Authorize] may rely on it.</summary>
    Guid Id { get; }

    string DisplayName { get; }

    /// <summary>The user's time zone from the profile; UTC when unknown.</summary>
    TimeZoneInfo TimeZone { get; }

    bool IsInRole(string role);
}
