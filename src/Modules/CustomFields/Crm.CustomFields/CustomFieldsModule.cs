using Crm.CustomFields.Contracts;
using Crm.CustomFields.Data;
using Crm.CustomFields.Seeding;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Hosting;
using Crm.SharedKernel.Navigation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.CustomFields;

/// <summary>
/// Custom fields for any module's records: the admin pages that define them, and
/// <see cref="ICustomFields"/> that reads, checks and shows their values. Modules register the kinds
/// of records that can have fields with a <see cref="CustomFieldEntity"/>.
/// </summary>
public static class CustomFieldsModule
{
    public static IServiceCollection AddCustomFieldsModule(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Crm")
            ?? throw new InvalidOperationException("ConnectionStrings:Crm is not configured.");
        // The options are built once, not for every request (they depend on nothing scoped).
        services.AddDbContext<FieldsDbContext>(options => ConfigureDbContext(options, connectionString), optionsLifetime: ServiceLifetime.Singleton);
        services.AddScoped<ICustomFields, CustomFieldService>();
        services.AddScoped<IModuleDatabase, FieldsDatabase>();
        services.AddSingleton(new NavigationItem("custom-fields", "Custom fields", "/admin/fields", "list", 930, typeof(CustomFieldsStrings), BuiltInRoles.Admin, NavigationSections.Admin));
        return services;
    }

    internal static void ConfigureDbContext(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", FieldsDbContext.Schema))
            .UseSnakeCaseNamingConvention();
}
