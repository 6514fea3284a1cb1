using Crm.Automation.Api;
using Crm.Automation.Areas.Automation.Features.Runs;
using Crm.Automation.Areas.Automation.Features.Scenarios;
using Crm.Automation.Data;
using Crm.Automation.Running;
using Crm.Automation.Seeding;
using Crm.Deals.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Hosting;
using Crm.SharedKernel.Localization;
using Crm.SharedKernel.Navigation;
using Crm.Tasks.Contracts;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Automation;

/// <summary>Scenarios: triggers, conditions, actions run by Hangfire at most once in effect, the run log. The module's only entry points.</summary>
public static class AutomationModule
{
    /// <summary>The notification kind of a scenario's "notify" action: its text is the rendered template.</summary>
    public const string NotificationKind = "automation";

    public static IServiceCollection AddAutomationModule(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Crm")
            ?? throw new InvalidOperationException("ConnectionStrings:Crm is not configured.");
        // The options are built once, not for every request (they depend on nothing scoped).
        services.AddDbContext<AutomationDbContext>(options => ConfigureDbContext(options, connectionString), optionsLifetime: ServiceLifetime.Singleton);

        // The triggers of deals, leads and tasks, each from its module's outbox.
        services.AddScoped<TriggerIntake>();
        services.AddScoped<IDealTriggerSubscriber>(provider => provider.GetRequiredService<TriggerIntake>());
        services.AddScoped<Crm.Clients.Contracts.IClientTriggerSubscriber>(provider => provider.GetRequiredService<TriggerIntake>());
        services.AddScoped<Tasks.Contracts.ITaskTriggerSubscriber>(provider => provider.GetRequiredService<TriggerIntake>());
        services.AddScoped<ScenarioRunner>();
        services.AddScoped<ActionRunner>();
        services.AddScoped<ActionEffects>();
        services.AddSingleton<WebhookSecrets>();
        services.AddScoped<RunTimeline>();
        services.AddScoped<AutomationPump>();
        services.AddScoped<DryRun>();
        services.AddScoped<ScenarioRules>();
        services.AddScoped<ScenarioEditor>();
        services.AddSingleton(new NavigationItem("scenarios", "Scenarios", "/admin/scenarios", "lightning", 943, typeof(AutomationStrings), BuiltInRoles.Admin, NavigationSections.Admin));
        services.AddScoped<IModuleDatabase, AutomationDatabase>();
        services.AddHttpClient(ActionEffects.WebhookClient, client => client.Timeout = TimeSpan.FromSeconds(10));
        // The run log: its page, the deal card's panel (admins only), the API.
        services.AddScoped<RunLog>();
        services.AddSingleton(new DealCardPanel(DealRunsPanelViewComponent.Name, 40));
        // The deal timeline's scenario lines are stored texts of this module: the card translates them for its reader.
        services.AddSingleton(new DealTimelineKind(RunTimeline.Kind, typeof(AutomationStrings)));
        services.AddSingleton(new NavigationItem("scenario-runs", "Scenario runs", RunsController.Path, "list-check", 945, typeof(AutomationStrings), BuiltInRoles.Admin, NavigationSections.Admin));
        services.AddSingleton(new Tasks.Contracts.NotificationKind(NotificationKind, TextKey.Of("{0}"), typeof(AutomationStrings), "lightning"));
        return services;
    }

    public static IEndpointRouteBuilder MapAutomationModule(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapScenariosApi();
        endpoints.MapScenarioRunsApi();
        return endpoints;
    }

    internal static void ConfigureDbContext(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", AutomationDbContext.Schema))
            .UseSnakeCaseNamingConvention();
}
