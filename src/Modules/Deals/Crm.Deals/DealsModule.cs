using Crm.Deals.Access;
using Crm.Deals.Contracts;
using Crm.Deals.Data;
using Crm.Deals.Integration;
using Crm.Deals.Seeding;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Hosting;
using Crm.SharedKernel.Navigation;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Deals;

/// <summary>Pipelines with enforced stage rules, deals, the board, stage history. The module's only entry points.</summary>
public static class DealsModule
{
    public static IServiceCollection AddDealsModule(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Crm")
            ?? throw new InvalidOperationException("ConnectionStrings:Crm is not configured.");
        // The options are built once, not for every request (they depend on nothing scoped).
        services.AddDbContext<DealsDbContext>(options => ConfigureDbContext(options, connectionString), optionsLifetime: ServiceLifetime.Singleton);

        services.AddScoped<DealAccess>();
        services.AddScoped<Pipelines.PipelineCatalog>();
        services.AddScoped<Audit.DealAudit>();
        services.AddScoped<Audit.DealTimeline>();
        services.AddSingleton<Audit.DealTimelineTexts>();
        services.AddScoped<Moving.DealMover>();
        services.AddScoped<Moving.DealCreation>();
        services.AddScoped<DealOwners>();
        services.AddScoped<Editing.DealEditor>();
        services.AddScoped<Export.DealExport>();
        services.AddScoped<IDealDirectory, DealDirectory>();
        services.AddScoped<IDealActions, DealActions>();
        services.AddScoped<IPipelineDirectory, PipelineDirectory>();
        services.AddScoped<Outbox.DealOutbox>();
        services.AddScoped<Outbox.DealOutboxDrain>();
        services.AddScoped<Outbox.StalledSweep>();
        services.AddSingleton(new Outbox.StalledDealSettings(
            configuration.GetValue("Crm:Deals:Stalled:NotifyHead", true),
            configuration.GetValue("Crm:Deals:Stalled:FollowUpTask", true)));
        services.AddScoped<IDealTriggerSubscriber, Outbox.StalledFollowUp>();
        services.AddSingleton(new Crm.Tasks.Contracts.NotificationKind(Outbox.StalledFollowUp.NotificationKind, Crm.SharedKernel.Localization.TextKey.Of("Deal stalled: {0}"), typeof(DealsStrings), "hourglass-split"));
        services.AddScoped<IDealTimeline, DealTimelineWriter>();
        services.AddScoped<Crm.SharedKernel.Templates.IPlaceholderSource, DealPlaceholders>();
        services.AddScoped<Crm.CustomFields.Contracts.ICustomFieldScopes, PipelineFieldScopes>();
        services.AddScoped<Crm.SharedKernel.Search.IGlobalSearchProvider, DealSearchProvider>();
        services.AddScoped<IModuleDatabase, DealsDatabase>();
        services.AddScoped<IDemoDataSeeder, DealsDemoSeeder>();
        services.AddSingleton(new Crm.CustomFields.Contracts.CustomFieldEntity("deal", "Deals", typeof(DealsStrings), 200));

        // The deal card and form, the client card's deals panel, and the copies of client names kept in step.
        services.AddSingleton<Areas.Deals.Features.Deals.DealFileStore>();
        services.AddSingleton(new Crm.Clients.Contracts.ClientCardPanel("DealsPanel", 20, Crm.Clients.Contracts.ClientKind.Company, Crm.Clients.Contracts.ClientKind.Contact, Crm.Clients.Contracts.ClientKind.Lead));
        services.AddScoped<ClientEventHandlers>();
        services.AddScoped<Crm.SharedKernel.Events.IIntegrationEventHandler<Crm.Clients.Contracts.ClientsRenamed>>(provider => provider.GetRequiredService<ClientEventHandlers>());
        services.AddScoped<Crm.SharedKernel.Events.IIntegrationEventHandler<Crm.Clients.Contracts.ClientMerged>>(provider => provider.GetRequiredService<ClientEventHandlers>());
        services.AddScoped<Crm.SharedKernel.Events.IIntegrationEventHandler<Crm.Clients.Contracts.LeadConverted>>(provider => provider.GetRequiredService<ClientEventHandlers>());

        // Tasks can be set on deals; a deal's task dates follow the tasks' events.
        services.AddScoped<Crm.Tasks.Contracts.ITaskLinkTarget, DealTaskLink>();
        services.AddScoped<Crm.SharedKernel.Events.IIntegrationEventHandler<Crm.Tasks.Contracts.TaskActivityChanged>, DealTaskActivityHandler>();

        services.AddSingleton(new NavigationItem("deals", "Deals", "/deals", "kanban", 150, typeof(DealsStrings)));
        services.AddSingleton(new NavigationItem("pipelines", "Pipelines", "/admin/pipelines", "funnel", 940, typeof(DealsStrings), BuiltInRoles.Admin, NavigationSections.Admin));
        services.AddSingleton(new NavigationItem("loss-reasons", "Loss reasons", "/admin/loss-reasons", "x-circle", 945, typeof(DealsStrings), BuiltInRoles.Admin, NavigationSections.Admin));
        services.AddSingleton(new NavigationItem("deals-audit", "Deals audit log", "/admin/deals-audit", "shield-lock", 950, typeof(DealsStrings), BuiltInRoles.Admin, NavigationSections.Admin));
        return services;
    }

    public static IEndpointRouteBuilder MapDealsModule(this IEndpointRouteBuilder endpoints)
    {
        Api.PipelinesApi.MapPipelinesApi(endpoints);
        Api.DealsApi.MapDealsApi(endpoints);
        return endpoints;
    }

    internal static void ConfigureDbContext(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", DealsDbContext.Schema))
            .UseSnakeCaseNamingConvention();
}
