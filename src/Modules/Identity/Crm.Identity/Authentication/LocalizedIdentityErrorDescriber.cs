using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Crm.Identity.Authentication;

/// <summary>The Identity errors a user can cause from our forms, in the user's language.</summary>
internal sealed class LocalizedIdentityErrorDescriber(IStringLocalizer<IdentityStrings> L) : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) =>
        new() { Code = nameof(PasswordTooShort), Description = L["The password must be at least {0} characters long.", length] };

    public override IdentityError PasswordMismatch() =>
        new() { Code = nameof(PasswordMismatch), Description = L["The current password is wrong."] };

    public override IdentityError DuplicateEmail(string email) =>
        new() { Code = nameof(DuplicateEmail), Description = L["A user with the e-mail {0} already exists.", email] };

    public override IdentityError DuplicateUserName(string userName) =>
        new() { Code = nameof(DuplicateUserName), Description = L["A user with the e-mail {0} already exists.", userName] };

    public override IdentityError InvalidEmail(string? email) =>
        new() { Code = nameof(InvalidEmail), Description = L["This is not a valid e-mail address."] };

    public override IdentityError InvalidUserName(string? userName) =>
        new() { Code = nameof(InvalidUserName), Description = L["This is not a valid e-mail address."] };

    public override IdentityError DefaultError() =>
        new() { Code = nameof(DefaultError), Description = L["Something went wrong. Please try again."] };

    public override IdentityError ConcurrencyFailure() =>
        new() { Code = nameof(ConcurrencyFailure), Description = L["Someone else changed this user meanwhile. Reload the page and try again."] };
}
