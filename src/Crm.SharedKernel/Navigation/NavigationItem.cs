namespace Crm.SharedKernel.Navigation;

/// <summary>
/// An entry of the left navigation, registered by a module as a singleton. The text is a key of the
/// module's own strings (<paramref name="Strings"/>), so every module localizes its own menu entries.
/// </summary>
/// <param name="RequiredRole">When set, only users in this role see the entry.</param>
public sealed record NavigationItem(
    string Key,
    string Text,
    string Url,
    string Icon,
    int Order,
    Type Strings,
    string? RequiredRole = null,
    string Section = NavigationSections.Work);

public static class NavigationSections
{
    public const string Work = "work";
    public const string Admin = "admin";
}
