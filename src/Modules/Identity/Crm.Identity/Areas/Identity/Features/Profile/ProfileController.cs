using System.ComponentModel.DataAnnotations;
using Crm.Identity.Areas.Identity.Features.Shared;
using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Identity.Areas.Identity.Features.Profile;

/// <summary>The signed-in user's own page: name, language, time zone, password and API tokens.</summary>
[Area("Identity")]
[Route("profile")]
[Authorize]
internal sealed class ProfileController(
    IdentityDbContext db,
    UserManager<CrmUser> userManager,
    SignInManager<CrmUser> signInManager,
    TimeProvider clock,
    Access.AccessRules rules,
    IStringLocalizer<IdentityStrings> L) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync();
        return View(await PageAsync(user, ProfileForm.From(user), new PasswordForm(), new TokenForm(), cancellationToken));
    }

    [HttpPost("")]
    public async Task<IActionResult> Save([Bind(Prefix = "Profile")] ProfileForm form, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync();
        if (!Choices.IsTimeZone(form.TimeZoneId))
        {
            ModelState.AddModelError("Profile.TimeZoneId", L["Choose a time zone from the list."]);
        }

        if (!CrmCultures.IsSupported(form.Culture))
        {
            ModelState.AddModelError("Profile.Culture", L["Choose a language from the list."]);
        }

        if (!ModelState.IsValid)
        {
            return View("Index", await PageAsync(user, form, new PasswordForm(), new TokenForm(), cancellationToken));
        }

        user.FullName = form.FullName.Trim();
        user.Culture = form.Culture;
        user.TimeZoneId = form.TimeZoneId;
        user.ProfileVersion++;
        await userManager.UpdateAsync(user);
        rules.UsersChanged();
        await signInManager.RefreshSignInAsync(user);
        LanguageCookie.Set(Response, user.Culture, Request.IsHttps);

        // The toast is shown on the next page, which is already in the new language.
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo(user.Culture);
        TempData["toast"] = L["Profile saved."].Value;
        return Redirect("/profile");
    }

    [HttpPost("password")]
    public async Task<IActionResult> ChangePassword([Bind(Prefix = "Password")] PasswordForm form, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync();
        if (ModelState.IsValid)
        {
            var result = await userManager.ChangePasswordAsync(user, form.CurrentPassword, form.NewPassword);
            if (result.Succeeded)
            {
                // The security stamp changed: other sessions end, this one is re-issued.
                await signInManager.RefreshSignInAsync(user);
                TempData["toast"] = L["Password changed. Your other sessions are signed out."].Value;
                return Redirect("/profile");
            }

            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? "Password.CurrentPassword" : "Password.NewPassword", error.Description);
            }
        }

        return View("Index", await PageAsync(user, ProfileForm.From(user), form, new TokenForm(), cancellationToken));
    }

    [HttpPost("tokens")]
    public async Task<IActionResult> CreateToken([Bind(Prefix = "Token")] TokenForm form, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync();
        if (!ModelState.IsValid)
        {
            return View("Index", await PageAsync(user, ProfileForm.From(user), new PasswordForm(), form, cancellationToken));
        }

        var (token, plain) = ApiToken.Issue(user.Id, form.Name.Trim(), clock.GetUtcNow());
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);

        // Shown once, on this response only: it is not stored anywhere in plain text.
        var page = await PageAsync(user, ProfileForm.From(user), new PasswordForm(), new TokenForm(), cancellationToken);
        return View("Index", page with { NewToken = plain });
    }

    [HttpPost("tokens/{id:guid}/revoke")]
    public async Task<IActionResult> RevokeToken(Guid id, CancellationToken cancellationToken)
    {
        var userId = (await CurrentUserAsync()).Id;
        var now = clock.GetUtcNow();
        // Scoped to the owner: somebody else's token id is simply not found.
        var revoked = await db.ApiTokens.Where(t => t.Id == id && t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        if (revoked == 0)
        {
            return NotFound();
        }

        TempData["toast"] = L["Token revoked."].Value;
        return Redirect("/profile#tokens");
    }

    private async Task<CrmUser> CurrentUserAsync() =>
        await userManager.GetUserAsync(User) ?? throw new InvalidOperationException("The signed-in user does not exist.");

    private async Task<ProfilePage> PageAsync(CrmUser user, ProfileForm profile, PasswordForm password, TokenForm token, CancellationToken cancellationToken)
    {
        var tokens = await db.ApiTokens.AsNoTracking()
            .Where(t => t.UserId == user.Id && t.RevokedAt == null)
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new TokenRow(t.Id, t.Name, t.Hint, t.CreatedAt, t.LastUsedAt))
            .ToListAsync(cancellationToken);
        var department = await db.Departments.Where(d => d.Id == user.DepartmentId).Select(d => d.Name).SingleOrDefaultAsync(cancellationToken);
        var roles = await userManager.GetRolesAsync(user);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(user.TimeZoneId, out var found) ? found : TimeZoneInfo.Utc;
        return new ProfilePage(user.Email ?? "", department ?? "", roles.Select(r => Choices.RoleName(r, L)).ToList(), profile, password, token, tokens, zone, null);
    }
}

internal sealed class ProfileForm
{
    [Display(Name = "Full name")]
    [Required(ErrorMessage = "Enter the full name.")]
    [StringLength(200, ErrorMessage = "At most {1} characters.")]
    public string FullName { get; set; } = "";

    [Display(Name = "Language")]
    public string Culture { get; set; } = CrmCultures.Russian;

    [Display(Name = "Time zone")]
    public string TimeZoneId { get; set; } = "Europe/Moscow";

    public static ProfileForm From(CrmUser user) => new() { FullName = user.FullName, Culture = user.Culture, TimeZoneId = user.TimeZoneId };
}

internal sealed class PasswordForm
{
    [Display(Name = "Current password")]
    [Required(ErrorMessage = "Enter your current password.")]
    [DataType(DataType.Password)]
    public string CurrentPassword { get; set; } = "";

    [Display(Name = "New password")]
    [Required(ErrorMessage = "Enter the new password.")]
    [DataType(DataType.Password)]
    public string NewPassword { get; set; } = "";
}

internal sealed class TokenForm
{
    [Display(Name = "Token name")]
    [Required(ErrorMessage = "Name the token, e.g. after the system that will use it.")]
    [StringLength(100, ErrorMessage = "At most {1} characters.")]
    public string Name { get; set; } = "";
}

internal sealed record TokenRow(Guid Id, string Name, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

internal sealed record ProfilePage(
    string Email,
    string Department,
    IReadOnlyList<string> Roles,
    ProfileForm Profile,
    PasswordForm Password,
    TokenForm Token,
    IReadOnlyList<TokenRow> Tokens,
    TimeZoneInfo TimeZone,
    string? NewToken)
{
    public string Local(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, TimeZone).ToString("g", System.Globalization.CultureInfo.CurrentCulture);
}
