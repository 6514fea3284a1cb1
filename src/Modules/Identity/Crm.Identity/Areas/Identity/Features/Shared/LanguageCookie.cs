using Crm.SharedKernel.Localization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;

namespace Crm.Identity.Areas.Identity.Features.Shared;

/// <summary>
/// The language cookie the host's localization reads after the profile: set by the language switch
/// (visitors included) and by the profile page, so the sign-in page keeps the user's language too.
/// </summary>
internal static class LanguageCookie
{
    public static void Set(HttpResponse response, string culture, bool isHttps) =>
        response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(CrmCultures.Formatting(culture).Name, culture)),
            new CookieOptions
            {
                Expires = DateTimeOffset.UtcNow.AddYears(1),
                IsEssential = true,
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = isHttps,
            });
}
