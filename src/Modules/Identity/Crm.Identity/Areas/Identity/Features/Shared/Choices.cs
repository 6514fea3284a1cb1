using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.Extensions.Localization;

namespace Crm.Identity.Areas.Identity.Features.Shared;

/// <summary>The choices the user and profile forms offer: roles, languages, time zones.</summary>
internal static class Choices
{
    public static string RoleName(string role, IStringLocalizer L) => role switch
    {
        BuiltInRoles.Admin => L["Administrator"],
        BuiltInRoles.SalesHead => L["Sales head"],
        BuiltInRoles.Manager => L["Manager"],
        _ => role,
    };

    public static IEnumerable<SelectListItem> Roles(IStringLocalizer L, string? selected) =>
        BuiltInRoles.All.Select(role => new SelectListItem(RoleName(role, L), role, role == selected));

    public static IEnumerable<SelectListItem> Languages(string? selected) =>
    [
        new SelectListItem("Русский", CrmCultures.Russian, selected == CrmCultures.Russian),
        new SelectListItem("English", CrmCultures.English, selected == CrmCultures.English),
    ];

    /// <summary>Every IANA zone the machine knows, by UTC offset: "(UTC+03:00) Europe/Moscow".</summary>
    public static IEnumerable<SelectListItem> TimeZones(string? selected) =>
        TimeZoneInfo.GetSystemTimeZones()
            .Where(zone => zone.Id.Contains('/', StringComparison.Ordinal) && !zone.Id.StartsWith("Etc/", StringComparison.Ordinal))
            .OrderBy(zone => zone.BaseUtcOffset)
            .ThenBy(zone => zone.Id, StringComparer.Ordinal)
            .Select(zone => new SelectListItem(
                $"(UTC{(zone.BaseUtcOffset < TimeSpan.Zero ? "-" : "+")}{zone.BaseUtcOffset:hh\\:mm}) {zone.Id}",
                zone.Id,
                zone.Id == selected));

    public static bool IsTimeZone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
