using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Crm.Identity.Authentication;
using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Crm.Identity.Api;

/// <summary>
/// The API's own sign-in: e-mail and password for a personal bearer token. Wrong passwords count
/// toward the same lockout as the sign-in page, so the API is no way around it.
/// </summary>
internal static class AuthApi
{
    public static void MapAuthApi(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/token", IssueTokenAsync).AllowAnonymous().DisableAntiforgery();
        api.MapDelete("/auth/token", RevokeCurrentTokenAsync).RequireAuthorization(ApiAuthorization.Policy);
        api.MapGet("/me", GetMeAsync).RequireAuthorization(ApiAuthorization.Policy);
    }

    internal sealed record TokenRequest(string? Email, string? Password, string? Name);

    internal sealed record TokenResponse(string Token, string TokenType, Guid Id, string Name, DateTimeOffset CreatedAt);

    internal sealed record MeResponse(Guid Id, string Email, string FullName, string Culture, string TimeZone, DepartmentRef Department, IReadOnlyList<string> Roles);

    internal sealed record DepartmentRef(Guid Id, string Name);

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> IssueTokenAsync(
        TokenRequest request,
        UserManager<CrmUser> users,
        SignInManager<CrmUser> signIn,
        IdentityDbContext db,
        TimeProvider clock,
        HttpContext http)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email) || !new EmailAddressAttribute().IsValid(request.Email))
        {
            errors["email"] = ["A valid e-mail is required."];
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["The password is required."];
        }

        if (request.Name is { Length: > 100 })
        {
            errors["name"] = ["The token name is at most 100 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var user = await users.FindByEmailAsync(request.Email!);
        if (user is null)
        {
            return InvalidCredentials();
        }

        var result = await signIn.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            var remaining = (user.LockoutEnd ?? clock.GetUtcNow()) - clock.GetUtcNow();
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(remaining.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Account locked",
                detail: "Too many failed sign-in attempts. Try again after the time in the Retry-After header.");
        }

        if (!result.Succeeded)
        {
            return InvalidCredentials();
        }

        var (token, plain) = ApiToken.Issue(user.Id, string.IsNullOrWhiteSpace(request.Name) ? "API" : request.Name.Trim(), clock.GetUtcNow());
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(http.RequestAborted);
        return TypedResults.Ok(new TokenResponse(plain, "Bearer", token.Id, token.Name, token.CreatedAt));
    }

    private static ProblemHttpResult InvalidCredentials() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid credentials", detail: "Wrong e-mail or password.");

    private static async Task<NoContent> RevokeCurrentTokenAsync(ClaimsPrincipal principal, IdentityDbContext db, TimeProvider clock, HttpContext http)
    {
        var tokenId = Guid.Parse(principal.FindFirstValue(ApiTokenAuthenticationHandler.TokenIdClaim)!);
        var now = clock.GetUtcNow();
        await db.ApiTokens.Where(t => t.Id == tokenId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<MeResponse>, NotFound>> GetMeAsync(ICurrentUser currentUser, IdentityDbContext db, HttpContext http)
    {
        var userId = currentUser.Id;
        var me = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.Id,
                u.Email,
                u.FullName,
                u.Culture,
                u.TimeZoneId,
                Department = db.Departments.Where(d => d.Id == u.DepartmentId).Select(d => new DepartmentRef(d.Id, d.Name)).Single(),
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
            })
            .SingleOrDefaultAsync(http.RequestAborted);
        return me is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new MeResponse(me.Id, me.Email!, me.FullName, me.Culture, me.TimeZoneId, me.Department, me.Roles));
    }
}
