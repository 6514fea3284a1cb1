using Crm.Clients.Access;
using Crm.Clients.Api;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Integration;
using Crm.Clients.Seeding;
using Crm.SharedKernel.Hosting;
using Crm.SharedKernel.Navigation;
using Crm.SharedKernel.Search;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Clients;

/// <summary>Leads, companies and contacts: lists, cards with a timeline, search. The module's only entry points.</summary>
public static class ClientsModule
{
    public static IServiceCollection AddClientsModule(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Crm")
            ?? throw new InvalidOperationException("ConnectionStrings:Crm is not configured.");
        // The options are built once, not for every request (they depend on nothing scoped).
        services.AddDbContext<ClientsDbContext>(options => ConfigureDbContext(options, connectionString), optionsLifetime: ServiceLifetime.Singleton);

        services.AddScoped<ClientAccess>();
        services.AddScoped<Areas.Clients.Features.Shared.ClientCards>();
        services.AddScoped<Areas.Clients.Features.Shared.OwnerChoices>();
        services.AddScoped<Domain.LeadConversion>();
        services.AddScoped<Domain.DuplicateFinder>();
        services.AddScoped<Export.ClientExport>();
        services.AddScoped<Audit.ClientAudit>();
        services.AddScoped<Domain.ClientMerge>();
        services.AddSingleton<Domain.AttachmentStore>();
        services.AddScoped<Domain.ClientCustomFields>();
        services.AddSingleton(new Crm.CustomFields.Contracts.CustomFieldEntity("lead", "Leads", typeof(ClientsStrings), 100));
        services.AddSingleton(new Crm.CustomFields.Contracts.CustomFieldEntity("company", "Companies", typeof(ClientsStrings), 110));
        services.AddSingleton(new Crm.CustomFields.Contracts.CustomFieldEntity("contact", "Contacts", typeof(ClientsStrings), 120));
        services.AddScoped<Outbox.ClientOutbox>();
        services.AddScoped<Outbox.ClientOutboxDrain>();
        services.AddScoped<Import.ImportService>();
        services.AddScoped<Import.ImportRunner>();
        services.AddScoped<Jobs.ImportJob>();
        services.AddScoped<IClientDirectory, ClientDirectory>();
        services.AddScoped<IClientTimeline, ClientTimeline>();

        // Placeholders of mail and scenario templates (client.*, owner.*); Deals reads client.* from here too.
        services.AddScoped<Crm.SharedKernel.Templates.IPlaceholderSource, CompanyPlaceholders>();
        services.AddScoped<Crm.SharedKernel.Templates.IPlaceholderSource, ContactPlaceholders>();
        services.AddScoped<Crm.SharedKernel.Templates.IPlaceholderSource, LeadPlaceholders>();

        // Tasks can be set on leads, companies and contacts; their dates follow the tasks' events.
        services.AddScoped<Crm.Tasks.Contracts.ITaskLinkTarget, LeadTaskLink>();
        services.AddScoped<Crm.Tasks.Contracts.ITaskLinkTarget, CompanyTaskLink>();
        services.AddScoped<Crm.Tasks.Contracts.ITaskLinkTarget, ContactTaskLink>();
        services.AddScoped<Crm.SharedKernel.Events.IIntegrationEventHandler<Crm.Tasks.Contracts.TaskActivityChanged>, TaskActivityHandler>();
        services.AddScoped<IClientSegments, ClientSegments>();
        services.AddScoped<IGlobalSearchProvider, CompanySearchProvider>();
        services.AddScoped<IGlobalSearchProvider, ContactSearchProvider>();
        services.AddScoped<IGlobalSearchProvider, LeadSearchProvider>();
        services.AddScoped<IModuleDatabase, ClientsDatabase>();
        services.AddScoped<IDemoDataSeeder, ClientsDemoSeeder>();

        services.AddSingleton(new NavigationItem("leads", "Leads", "/leads", "person-badge", 100, typeof(ClientsStrings)));
        services.AddSingleton(new NavigationItem("companies", "Companies", "/companies", "building", 110, typeof(ClientsStrings)));
        services.AddSingleton(new NavigationItem("contacts", "Contacts", "/contacts", "people", 120, typeof(ClientsStrings)));
        services.AddSingleton(new NavigationItem("imports", "Import", "/imports", "upload", 180, typeof(ClientsStrings)));
        services.AddSingleton(new NavigationItem("recycle-bin", "Recycle bin", "/recycle-bin", "trash", 190, typeof(ClientsStrings)));
        services.AddSingleton(new NavigationItem("audit", "Audit log", "/admin/audit", "shield-lock", 920, typeof(ClientsStrings), Crm.SharedKernel.Access.BuiltInRoles.Admin, NavigationSections.Admin));
        return services;
    }

    public static IEndpointRouteBuilder MapClientsModule(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapClientsApi();
        endpoints.MapImportsApi();
        return endpoints;
    }

    internal static void ConfigureDbContext(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", ClientsDbContext.Schema))
            .UseSnakeCaseNamingConvention()
            // Approximate totals count a LIMIT-ed subquery on purpose: which 10 001 rows is irrelevant.
            .ConfigureWarnings(warnings => warnings.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.RowLimitingOperationWithoutOrderByWarning));
}
