using Crm.Identity.Access;
using Crm.Identity.Authentication;
using Crm.Identity.Contracts;
using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.Identity.Api;
using Crm.Identity.Integration;
using Crm.Identity.Seeding;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Hosting;
using Crm.SharedKernel.Navigation;
using Crm.SharedKernel.Search;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Identity;

/// <summary>
/// Users, departments, roles and the access policy; sign-in by cookie for pages and by personal token
/// for the API. The only entry points of the module.
/// </summary>
public static class IdentityModule
{
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(5);

    public static IServiceCollection AddIdentityModule(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Crm")
            ?? throw new InvalidOperationException("ConnectionStrings:Crm is not configured.");
        // The options are built once, not for every request (they depend on nothing scoped).
        services.AddDbContext<IdentityDbContext>(options => ConfigureDbContext(options, connectionString), optionsLifetime: ServiceLifetime.Singleton);

        services.AddIdentity<CrmUser, CrmRole>(options =>
            {
                // Length protects; composition rules only make people write passwords down (NIST SP 800-63B).
                options.Password.RequiredLength = 10;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
                options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
            })
            .AddEntityFrameworkStores<IdentityDbContext>()
            .AddSignInManager<CrmSignInManager>()
            .AddClaimsPrincipalFactory<CrmClaimsPrincipalFactory>()
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>()
            .AddDefaultTokenProviders();

        var requireSecureCookies = configuration.GetValue("Crm:Security:SecureCookiesOnly", false);
        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "crm.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            // Behind HTTPS the cookie is always Secure; on plain http://localhost (./crm.sh run) it cannot be.
            options.Cookie.SecurePolicy = requireSecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.AccessDeniedPath = "/account/denied";
            options.ExpireTimeSpan = TimeSpan.FromDays(14);
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = SessionValidator.ValidateAsync;
        });

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiAuthorization.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiAuthorization.Policy, policy => policy
                .AddAuthenticationSchemes(ApiAuthorization.Scheme)
                .RequireAuthenticatedUser());

        services.AddMemoryCache();
        services.AddScoped<IAccessPolicy, AccessPolicy>();
        services.AddScoped<AccessRules>();
        services.AddScoped<IUserDirectory, UserDirectory>();
        services.AddScoped<IGlobalSearchProvider, UserSearchProvider>();
        services.AddScoped<IModuleDatabase, IdentityDatabase>();
        services.AddScoped<IDemoDataSeeder, IdentityDemoSeeder>();

        services.AddSingleton(new NavigationItem("users", "Users", "/admin/users", "people", 900, typeof(IdentityStrings), BuiltInRoles.Admin, NavigationSections.Admin));
        services.AddSingleton(new NavigationItem("departments", "Departments", "/admin/departments", "diagram-3", 910, typeof(IdentityStrings), BuiltInRoles.Admin, NavigationSections.Admin));
        return services;
    }

    public static IEndpointRouteBuilder MapIdentityModule(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1");
        api.MapAuthApi();
        return endpoints;
    }

    internal static void ConfigureDbContext(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", IdentityDbContext.Schema))
            .UseSnakeCaseNamingConvention();
}
