using System.Security.Claims;

namespace Crm.SharedKernel.Access;

/// <summary>
/// The user a background job acts for. A job started by a user (an import, a mailing) runs with that
/// user's rights: the job sets the acting user for its flow, and <see cref="ICurrentUser"/> answers
/// with it when there is no request.
/// </summary>
public static class ActingUser
{
    private static readonly AsyncLocal<ClaimsPrincipal?> Acting = new();

    public static ClaimsPrincipal? Current => Acting.Value;

    /// <summary>Acts as the user until the returned scope is disposed.</summary>
    public static IDisposable As(Guid userId, string displayName)
    {
        var previous = Acting.Value;
        Acting.Value = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, userId.ToString()), new Claim(CrmClaimTypes.DisplayName, displayName)],
            authenticationType: "Job"));
        return new Scope(previous);
    }

    private sealed class Scope(ClaimsPrincipal? previous) : IDisposable
    {
        public void Dispose() => Acting.Value = previous;
    }
}
