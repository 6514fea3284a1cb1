using System.ComponentModel.DataAnnotations;
using Crm.Identity.Areas.Identity.Features.Shared;
using Crm.Identity.Domain;
using Crm.SharedKernel.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Localization;

namespace Crm.Identity.Areas.Identity.Features.Account;

[Area("Identity")]
[Route("account")]
internal sealed class AccountController(
    SignInManager<CrmUser> signInManager,
    UserManager<CrmUser> userManager,
    IHostEnvironment environment,
    IStringLocalizer<IdentityStrings> L) : Controller
{
    [HttpGet("login")]
    [AllowAnonymous]
    public IActionResult Login(string? returnUrl)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return LocalRedirect(SafeReturnUrl(returnUrl));
        }

        return View(new LoginPage(new LoginInput { ReturnUrl = returnUrl }, environment.IsDevelopment()));
    }

    [HttpPost("login")]
    [AllowAnonymous]
    public async Task<IActionResult> Login([Bind(Prefix = "Input")] LoginInput input)
    {
        if (!ModelState.IsValid)
        {
            return View(new LoginPage(input, environment.IsDevelopment()));
        }

        // The user name is the e-mail (see UsersController.Create).
        var result = await signInManager.PasswordSignInAsync(input.Email.Trim(), input.Password, input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(SafeReturnUrl(input.ReturnUrl));
        }

        // Deactivated accounts get the same answer as a wrong password: no hint that the account exists.
        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? L["Too many failed attempts. The account is locked for {0} minutes.", (int)IdentityModule.LockoutDuration.TotalMinutes]
            : L["Wrong e-mail or password."]);
        input.Password = "";
        return View(new LoginPage(input, environment.IsDevelopment()));
    }

    [HttpPost("logout")]
    [Authorize]
    public async Task<IActionResult> Logout()
    {
        await signInManager.SignOutAsync();
        return Redirect("/account/login");
    }

    [HttpGet("denied")]
    [AllowAnonymous]
    public IActionResult Denied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }

    /// <summary>
    /// The language switch: a cookie for everybody, and the profile's language for a signed-in user,
    /// whose session is then re-issued so the new language applies from the next page on.
    /// </summary>
    [HttpPost("language")]
    [AllowAnonymous]
    public async Task<IActionResult> Language(string culture, string? returnUrl)
    {
        if (!CrmCultures.IsSupported(culture))
        {
            return BadRequest();
        }

        LanguageCookie.Set(Response, culture, Request.IsHttps);

        if (User.Identity?.IsAuthenticated == true && await userManager.GetUserAsync(User) is { } user && user.Culture != culture)
        {
            user.Culture = culture;
            user.ProfileVersion++;
            await userManager.UpdateAsync(user);
            await signInManager.RefreshSignInAsync(user);
        }

        return LocalRedirect(SafeReturnUrl(returnUrl));
    }

    private string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}

internal sealed record LoginPage(LoginInput Input, bool ShowDemoUsers);

internal sealed class LoginInput
{
    [Display(Name = "E-mail")]
    [Required(ErrorMessage = "Enter your e-mail.")]
    [EmailAddress(ErrorMessage = "This is not a valid e-mail address.")]
    public string Email { get; set; } = "";

    [Display(Name = "Password")]
    [Required(ErrorMessage = "Enter your password.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [Display(Name = "Remember me")]
    public bool RememberMe { get; set; }

    public string? ReturnUrl { get; set; }
}
