using Crm.SharedKernel.Access;
using Crm.Web.Infrastructure.Localization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.WebEncoders;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Razor;

namespace Crm.Web.Infrastructure.Web;

internal static class WebSetup
{
    public static IServiceCollection AddCrmWeb(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services
            .AddControllersWithViews(options =>
            {
                // Every unsafe form post must carry the antiforgery token; API routes use bearer tokens instead.
                options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
            })
            .ConfigureApplicationPartManager(parts =>
            {
                // Module controllers are internal (docs/adr/0004): let MVC find them.
                parts.FeatureProviders.Remove(parts.FeatureProviders.OfType<ControllerFeatureProvider>().Single());
                parts.FeatureProviders.Add(new ModuleControllerFeatureProvider());
                // So are their view components (client card panels, dashboard widgets).
                parts.FeatureProviders.Add(new ModuleViewComponentFeatureProvider());
            })
            // Validation happens on the server and comes back next to the field; no client-side validation
            // scripts are loaded, so the data-val-* attributes would only be dead weight.
            .AddViewOptions(options => options.HtmlHelperOptions.ClientValidationEnabled = false)
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(options =>
                options.DataAnnotationLocalizerProvider = ModuleStringsLocator.ForModel)
            .AddRazorOptions(options =>
            {
                // Slices keep a controller's views beside it: Areas/{module}/Features/{feature}/{view}.cshtml.
                options.AreaViewLocationFormats.Insert(0, "/Areas/{2}/Features/{1}/{0}.cshtml");
                options.AreaViewLocationFormats.Insert(1, "/Areas/{2}/Features/Shared/{0}.cshtml");
                options.ViewLocationFormats.Insert(0, "/Features/{1}/{0}.cshtml");
            });
        services.AddOptions<MvcOptions>().Configure<Microsoft.Extensions.Localization.IStringLocalizerFactory>(
            (options, factory) => ModelBindingMessages.Localize(options, factory));

        // Razor would otherwise write every Cyrillic letter as an HTML entity.
        services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "crm.af";
            options.HeaderName = "RequestVerificationToken";
        });
        services.AddProblemDetails();
        // The API speaks enum names ("Partner"), not numbers, both ways.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, HttpCurrentUser>();
        services.AddScoped<Features.Search.GlobalSearch>();
        services.AddSingleton(TimeProvider.System);
        services.AddDataProtection()
            .SetApplicationName("crm")
            .PersistKeysToFileSystem(new DirectoryInfo(configuration["Crm:DataProtection:KeysDirectory"] ?? Path.Combine(dataDirectory, "keys")));
        return services;
    }

    public static IApplicationBuilder UseCrmErrorHandling(this WebApplication app)
    {
        // The error endpoint answers problem details for /api paths and a page for everything else.
        app.UseExceptionHandler("/error/500");
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        return app;
    }

    /// <summary>An unknown /api route answers a 404 problem, never the HTML not-found page.</summary>
    public static void MapCrmApiFallback(this IEndpointRouteBuilder endpoints) =>
        endpoints.Map("/api/{**rest}", () => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: "No such API route."));
}
