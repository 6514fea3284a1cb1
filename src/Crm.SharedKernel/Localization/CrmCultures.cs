using System.Globalization;

namespace Crm.SharedKernel.Localization;

/// <summary>The interface languages. Russian first: it is the default for a new installation.</summary>
public static class CrmCultures
{
    public const string Russian = "ru";
    public const string English = "en";
    public const string Default = Russian;

    public static readonly IReadOnlyList<string> Supported = [Russian, English];

    public static bool IsSupported(string? culture) => culture is not null && Supported.Contains(culture);

    /// <summary>The specific culture used for numbers, money and dates: ru-RU or en-US.</summary>
    public static CultureInfo Formatting(string culture) =>
        CultureInfo.GetCultureInfo(culture == English ? "en-US" : "ru-RU");
}

/// <summary>
/// Names the strings class of a module assembly, so validation messages on its models are looked up
/// in its own resources: <c>[assembly: ModuleStrings(typeof(IdentityStrings))]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class ModuleStringsAttribute(Type strings) : Attribute
{
    public Type Strings { get; } = strings;
}
