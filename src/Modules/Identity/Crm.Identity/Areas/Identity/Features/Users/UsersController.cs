using Crm.Identity.Access;
using Crm.Identity.Areas.Identity.Features.Shared;
using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Identity.Areas.Identity.Features.Users;

/// <summary>User administration: list, create, edit, deactivate and reactivate, reset password.</summary>
[Area("Identity")]
[Route("admin/users")]
[Authorize(Roles = BuiltInRoles.Admin)]
internal sealed class UsersController(
    IdentityDbContext db,
    UserManager<CrmUser> userManager,
    AccessRules rules,
    TimeProvider clock,
    IStringLocalizer<IdentityStrings> L) : Controller
{
    public const int PageSize = 50;

    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] UserListQuery query, CancellationToken cancellationToken)
    {
        var page = await UserList.LoadAsync(db, query, PageSize, cancellationToken);
        var departments = await rules.GetDepartmentsAsync(cancellationToken);
        var model = new UserListPage(query, page.Rows, page.NextAfter, departments.ToDictionary(d => d.Id, d => d.Name), departments);

        // "Show more" asks by htmx for the next rows only.
        return Request.Headers.ContainsKey("HX-Request") ? PartialView("_Rows", model) : View(model);
    }

    [HttpGet("new")]
    public async Task<IActionResult> Create(CancellationToken cancellationToken) =>
        View("Edit", await FormPageAsync(new UserForm(), null, cancellationToken));

    [HttpPost("new")]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] UserForm form, CancellationToken cancellationToken)
    {
        await ValidateAsync(form, null, cancellationToken);
        if (string.IsNullOrEmpty(form.Password))
        {
            ModelState.AddModelError("Form.Password", L["Set a first password for the user."]);
        }

        if (ModelState.IsValid)
        {
            var user = new CrmUser
            {
                Id = Guid.CreateVersion7(),
                CreatedAt = clock.GetUtcNow(),
                EmailConfirmed = true,
            };
            form.ApplyTo(user);
            var created = await userManager.CreateAsync(user, form.Password!);
            if (created.Succeeded)
            {
                await userManager.AddToRoleAsync(user, form.Role);
                rules.UsersChanged();
                TempData["toast"] = L["User {0} created.", user.FullName].Value;
                return Redirect("/admin/users");
            }

            AddErrors(created);
        }

        return View("Edit", await FormPageAsync(form, null, cancellationToken));
    }

    [HttpGet("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var user = await db.Users.FindAsync([id], cancellationToken);
        if (user is null)
        {
            return NotFound();
        }

        var roles = await userManager.GetRolesAsync(user);
        return View(await FormPageAsync(UserForm.From(user, roles.FirstOrDefault() ?? BuiltInRoles.Manager), user, cancellationToken));
    }

    [HttpPost("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, [Bind(Prefix = "Form")] UserForm form, CancellationToken cancellationToken)
    {
        var user = await db.Users.FindAsync([id], cancellationToken);
        if (user is null)
        {
            return NotFound();
        }

        await ValidateAsync(form, user, cancellationToken);
        if (user.Id == CurrentUserId && form.Role != BuiltInRoles.Admin)
        {
            ModelState.AddModelError("Form.Role", L["You cannot take the administrator role from yourself."]);
        }

        if (ModelState.IsValid)
        {
            form.ApplyTo(user);
            var currentRoles = await userManager.GetRolesAsync(user);
            if (!currentRoles.SequenceEqual([form.Role]))
            {
                await userManager.RemoveFromRolesAsync(user, currentRoles);
                await userManager.AddToRoleAsync(user, form.Role);
            }

            // Bumped last, so a request of the user in between cannot pick up the new version with the old role.
            user.ProfileVersion++;
            var updated = await userManager.UpdateAsync(user);
            if (updated.Succeeded)
            {
                rules.UsersChanged();
                TempData["toast"] = L["Changes to {0} saved.", user.FullName].Value;
                return Redirect("/admin/users");
            }

            AddErrors(updated);
        }

        return View(await FormPageAsync(form, user, cancellationToken));
    }

    /// <summary>
    /// Deactivation changes the security stamp, which ends the user's open sessions at their next
    /// request; API tokens stop working because their owner must be active. The records stay.
    /// </summary>
    [HttpPost("{id:guid}/deactivate")]
    public async Task<IActionResult> Deactivate(Guid id)
    {
        var user = await userManager.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return NotFound();
        }

        if (user.Id == CurrentUserId)
        {
            TempData["toast"] = L["You cannot deactivate yourself."].Value;
            return Redirect($"/admin/users/{id}/edit");
        }

        user.IsActive = false;
        user.DeactivatedAt = clock.GetUtcNow();
        await userManager.UpdateAsync(user);
        await userManager.UpdateSecurityStampAsync(user);
        rules.UsersChanged();
        TempData["toast"] = L["{0} is deactivated and signed out.", user.FullName].Value;
        return Redirect($"/admin/users/{id}/edit");
    }

    [HttpPost("{id:guid}/activate")]
    public async Task<IActionResult> Activate(Guid id)
    {
        var user = await userManager.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return NotFound();
        }

        user.IsActive = true;
        user.DeactivatedAt = null;
        await userManager.UpdateAsync(user);
        rules.UsersChanged();
        TempData["toast"] = L["{0} can sign in again.", user.FullName].Value;
        return Redirect($"/admin/users/{id}/edit");
    }

    [HttpGet("{id:guid}/password")]
    public async Task<IActionResult> ResetPassword(Guid id)
    {
        var user = await userManager.FindByIdAsync(id.ToString());
        return user is null ? NotFound() : View(new ResetPasswordPage(user.Id, user.FullName, new ResetPasswordForm()));
    }

    /// <summary>Sets a new password, lifts a lockout and signs the user out everywhere.</summary>
    [HttpPost("{id:guid}/password")]
    public async Task<IActionResult> ResetPassword(Guid id, [Bind(Prefix = "Form")] ResetPasswordForm form)
    {
        var user = await userManager.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return NotFound();
        }

        if (ModelState.IsValid)
        {
            var token = await userManager.GeneratePasswordResetTokenAsync(user);
            var result = await userManager.ResetPasswordAsync(user, token, form.NewPassword);
            if (result.Succeeded)
            {
                await userManager.SetLockoutEndDateAsync(user, null);
                await userManager.ResetAccessFailedCountAsync(user);
                TempData["toast"] = L["New password set for {0}.", user.FullName].Value;
                return Redirect($"/admin/users/{id}/edit");
            }

            foreach (var error in result.Errors)
            {
                ModelState.AddModelError("Form.NewPassword", error.Description);
            }
        }

        return View(new ResetPasswordPage(user.Id, user.FullName, form));
    }

    private Guid CurrentUserId => Guid.Parse(userManager.GetUserId(User)!);

    private async Task ValidateAsync(UserForm form, CrmUser? existing, CancellationToken cancellationToken)
    {
        if (!await db.Departments.AnyAsync(d => d.Id == form.DepartmentId, cancellationToken))
        {
            ModelState.AddModelError("Form.DepartmentId", L["Choose a department."]);
        }

        if (!BuiltInRoles.All.Contains(form.Role))
        {
            ModelState.AddModelError("Form.Role", L["Choose a role."]);
        }

        if (!Choices.IsTimeZone(form.TimeZoneId))
        {
            ModelState.AddModelError("Form.TimeZoneId", L["Choose a time zone from the list."]);
        }

        var normalized = userManager.NormalizeEmail(form.Email?.Trim());
        if (normalized is not null && await db.Users.AnyAsync(u => u.NormalizedEmail == normalized && u.Id != (existing == null ? Guid.Empty : existing.Id), cancellationToken))
        {
            ModelState.AddModelError("Form.Email", L["A user with the e-mail {0} already exists.", form.Email!.Trim()]);
        }
    }

    private void AddErrors(IdentityResult result)
    {
        foreach (var error in result.Errors)
        {
            var field = error.Code.StartsWith("Password", StringComparison.Ordinal) ? "Form.Password"
                : error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal) ? "Form.Email"
                : string.Empty;
            ModelState.AddModelError(field, error.Description);
        }
    }

    private async Task<UserFormPage> FormPageAsync(UserForm form, CrmUser? user, CancellationToken cancellationToken) =>
        new(form, user?.Id, user?.IsActive ?? true, user?.LockoutEnd > clock.GetUtcNow(), await rules.GetDepartmentsAsync(cancellationToken));
}
