using System.ComponentModel.DataAnnotations;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;

namespace Crm.Identity.Areas.Identity.Features.Users;

internal sealed class UserForm
{
    [Display(Name = "Full name")]
    [Required(ErrorMessage = "Enter the full name.")]
    [StringLength(200, ErrorMessage = "At most {1} characters.")]
    public string FullName { get; set; } = "";

    [Display(Name = "E-mail")]
    [Required(ErrorMessage = "Enter the e-mail.")]
    [EmailAddress(ErrorMessage = "This is not a valid e-mail address.")]
    [StringLength(256, ErrorMessage = "At most {1} characters.")]
    public string Email { get; set; } = "";

    [Display(Name = "Department")]
    public Guid DepartmentId { get; set; }

    [Display(Name = "Role")]
    public string Role { get; set; } = BuiltInRoles.Manager;

    [Display(Name = "Language")]
    public string Culture { get; set; } = CrmCultures.Russian;

    [Display(Name = "Time zone")]
    public string TimeZoneId { get; set; } = "Europe/Moscow";

    /// <summary>Only on creation; later changes go through "reset password".</summary>
    [Display(Name = "First password")]
    [DataType(DataType.Password)]
    public string? Password { get; set; }

    public static UserForm From(CrmUser user, string role) => new()
    {
        FullName = user.FullName,
        Email = user.Email ?? "",
        DepartmentId = user.DepartmentId,
        Role = role,
        Culture = user.Culture,
        TimeZoneId = user.TimeZoneId,
    };

    public void ApplyTo(CrmUser user)
    {
        user.FullName = FullName.Trim();
        user.Email = Email.Trim();
        // The e-mail is the sign-in name.
        user.UserName = Email.Trim();
        user.DepartmentId = DepartmentId;
        user.Culture = CrmCultures.IsSupported(Culture) ? Culture : CrmCultures.Default;
        user.TimeZoneId = TimeZoneId;
    }
}

internal sealed record UserFormPage(UserForm Form, Guid? UserId, bool IsActive, bool IsLockedOut, IReadOnlyList<Department> Departments)
{
    public bool IsNew => UserId is null;
}

internal sealed class ResetPasswordForm
{
    [Display(Name = "New password")]
    [Required(ErrorMessage = "Enter the new password.")]
    [DataType(DataType.Password)]
    public string NewPassword { get; set; } = "";
}

internal sealed record ResetPasswordPage(Guid UserId, string FullName, ResetPasswordForm Form);

internal sealed record UserListPage(
    UserListQuery Query,
    IReadOnlyList<UserRow> Rows,
    Guid? NextAfter,
    IReadOnlyDictionary<Guid, string> DepartmentNames,
    IReadOnlyList<Department> Departments);
