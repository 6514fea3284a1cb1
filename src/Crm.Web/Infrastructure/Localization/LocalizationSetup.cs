using System.Globalization;
using System.Reflection;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Crm.Web.Infrastructure.Localization;

/// <summary>
/// Russian and English. The language comes from the signed-in user's profile, then the language
/// cookie (set by the switch for visitors), then the browser. Formatting follows ru-RU or en-US.
/// </summary>
internal static class LocalizationSetup
{
    public static IServiceCollection AddCrmLocalization(this IServiceCollection services)
    {
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = new[] { CrmCultures.Formatting(CrmCultures.Russian), CrmCultures.Formatting(CrmCultures.English) };
            options.DefaultRequestCulture = new RequestCulture(cultures[0], CultureInfo.GetCultureInfo(CrmCultures.Default));
            options.SupportedCultures = cultures;
            options.SupportedUICultures = [CultureInfo.GetCultureInfo(CrmCultures.Russian), CultureInfo.GetCultureInfo(CrmCultures.English)];
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders =
            [
                new ProfileCultureProvider(),
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return services;
    }

    public static IApplicationBuilder UseCrmLocalization(this IApplicationBuilder app) => app.UseRequestLocalization();

    /// <summary>The language stored in the user's profile, carried as a claim of the sign-in.</summary>
    private sealed class ProfileCultureProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var culture = httpContext.User.FindFirst(CrmClaimTypes.Culture)?.Value;
            return Task.FromResult(CrmCultures.IsSupported(culture)
                ? new ProviderCultureResult(CrmCultures.Formatting(culture!).Name, culture!)
                : null);
        }
    }
}

/// <summary>Validation messages of a model come from the strings of the module that declares it.</summary>
internal static class ModuleStringsLocator
{
    public static IStringLocalizer ForModel(Type modelType, IStringLocalizerFactory factory) =>
        factory.Create(modelType.Assembly.GetCustomAttribute<ModuleStringsAttribute>()?.Strings ?? typeof(WebStrings));
}

/// <summary>The messages model binding writes by itself ("The value 'x' is not valid"), in the user's language.</summary>
internal static class ModelBindingMessages
{
    public static void Localize(MvcOptions options, IStringLocalizerFactory factory)
    {
        var L = factory.Create(typeof(WebStrings));
        var messages = options.ModelBindingMessageProvider;
        messages.SetAttemptedValueIsInvalidAccessor((value, field) => L["The value '{0}' is not valid for {1}.", value, field]);
        messages.SetMissingBindRequiredValueAccessor(field => L["A value for {0} was not provided.", field]);
        messages.SetMissingKeyOrValueAccessor(() => L["A value is required."]);
        messages.SetMissingRequestBodyRequiredValueAccessor(() => L["A non-empty request body is required."]);
        messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => L["The value '{0}' is not valid.", value]);
        messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => L["The supplied value is invalid."]);
        messages.SetNonPropertyValueMustBeANumberAccessor(() => L["The field must be a number."]);
        messages.SetUnknownValueIsInvalidAccessor(field => L["The supplied value is invalid for {0}.", field]);
        messages.SetValueIsInvalidAccessor(value => L["The value '{0}' is invalid.", value]);
        messages.SetValueMustBeANumberAccessor(field => L["The field {0} must be a number.", field]);
        messages.SetValueMustNotBeNullAccessor(value => L["The value '{0}' is invalid.", value]);
    }
}
