using System.Security.Claims;
using System.Text.Encodings.Web;
using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Identity.Authentication;

/// <summary>
/// "Authorization: Bearer crm_..." for the REST API. The token is looked up by its hash; a revoked
/// token or a deactivated owner fails. Challenges answer RFC 7807 problem details, never a redirect.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IdentityDbContext db,
    SignInManager<CrmUser> signInManager,
    TimeProvider clock,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string TokenIdClaim = "crm:token";

    // Writing "last used" on every call would turn each API read into a write; once a minute is enough.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var plain = header["Bearer ".Length..].Trim();
        if (!plain.StartsWith(ApiToken.Prefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail("Malformed token.");
        }

        var hash = ApiToken.Hash(plain);
        var found = await db.ApiTokens
            .Where(t => t.TokenHash == hash && t.RevokedAt == null)
            .Join(db.Users.Where(u => u.IsActive), t => t.UserId, u => u.Id, (t, u) => new { Token = t, User = u })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (found is null)
        {
            return AuthenticateResult.Fail("Unknown, revoked or deactivated token.");
        }

        var now = clock.GetUtcNow();
        if (found.Token.LastUsedAt is null || now - found.Token.LastUsedAt > LastUsedResolution)
        {
            await db.ApiTokens.Where(t => t.Id == found.Token.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
        }

        var userPrincipal = await signInManager.CreateUserPrincipalAsync(found.User);
        var identity = new ClaimsIdentity(userPrincipal.Claims, Scheme.Name);
        identity.AddClaim(new Claim(TokenIdClaim, found.Token.Id.ToString()));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 401, Title = "Unauthorized", Detail = "A valid personal API token is required: Authorization: Bearer <token>." },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 403, Title = "Forbidden", Detail = "Your role does not allow this." },
        });
    }
}
