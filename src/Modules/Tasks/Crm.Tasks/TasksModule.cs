using Crm.SharedKernel.Access;
using Crm.SharedKernel.Events;
using Crm.SharedKernel.Hosting;
using Crm.SharedKernel.Localization;
using Crm.SharedKernel.Navigation;
using Crm.Tasks.Access;
using Crm.Tasks.Api;
using Crm.Tasks.Feed;
using Crm.Tasks.Contracts;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Crm.Tasks.Integration;
using Crm.Tasks.Notifications;
using Crm.Tasks.Seeding;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tasks;

/// <summary>Tasks and activities on any record, my day, the calendar, reminders, notifications, the iCalendar feed. The module's only entry points.</summary>
public static class TasksModule
{
    public static IServiceCollection AddTasksModule(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Crm")
            ?? throw new InvalidOperationException("ConnectionStrings:Crm is not configured.");
        // The options are built once, not for every request (they depend on nothing scoped).
        services.AddDbContext<TasksDbContext>(options => ConfigureDbContext(options, connectionString), optionsLifetime: ServiceLifetime.Singleton);

        services.AddScoped<TaskAccess>();
        services.AddScoped<TaskLinks>();
        services.AddScoped<TaskEditor>();
        services.AddScoped<IScheduledTasks, ScheduledTasks>();
        services.AddScoped<TaskActivity>();
        services.AddScoped<Areas.Tasks.Features.Shared.TaskDisplay>();
        services.AddScoped<Areas.Tasks.Features.Panel.TasksPanelBuilder>();
        services.AddScoped<TaskReminders>();
        services.AddScoped<Jobs.TaskJobs>();
        services.AddScoped<TaskOutboxDrain>();
        // "task.*" placeholders of scenarios on tasks (the "task overdue" trigger).
        services.AddScoped<Crm.SharedKernel.Templates.IPlaceholderSource, TaskPlaceholders>();
        services.AddScoped<INotifications, NotificationStore>();
        services.AddScoped<Areas.Tasks.Features.Notifications.NotificationLines>();
        services.AddScoped<IDemoDataSeeder, TasksDemoSeeder>();
        services.AddScoped<IModuleDatabase, TasksDatabase>();
        services.AddScoped<Export.TaskExport>();
        services.AddScoped<Feed.CalendarFeeds>();
        services.AddScoped<Feed.CalendarFeedWriter>();

        // Tasks linked to clients keep the client's current name and id.
        services.AddScoped<ClientEventHandlers>();
        services.AddScoped<IIntegrationEventHandler<Crm.Clients.Contracts.ClientsRenamed>>(provider => provider.GetRequiredService<ClientEventHandlers>());
        services.AddScoped<IIntegrationEventHandler<Crm.Clients.Contracts.ClientMerged>>(provider => provider.GetRequiredService<ClientEventHandlers>());

        // How this module's notifications read.
        services.AddSingleton(new NotificationKind(TaskNotificationKinds.Assigned, TextKey.Of("New task for you: {0}"), typeof(TasksStrings), "check2-square"));
        services.AddSingleton(new NotificationKind(TaskNotificationKinds.Reminder, TextKey.Of("Reminder: {0}"), typeof(TasksStrings), "alarm"));
        services.AddSingleton(new NotificationKind(TaskNotificationKinds.Overdue, TextKey.Of("Overdue: {0}"), typeof(TasksStrings), "exclamation-circle"));
        services.AddSingleton(new NotificationKind(TaskNotificationKinds.Done, TextKey.Of("Done: {0}"), typeof(TasksStrings), "check-circle"));

        // The tasks panel on the cards of the records tasks link to.
        services.AddSingleton(new Crm.Clients.Contracts.ClientCardPanel(
            Areas.Tasks.Features.Panel.TasksPanelViewComponent.Name, 15, Crm.Clients.Contracts.ClientKind.Lead, Crm.Clients.Contracts.ClientKind.Company, Crm.Clients.Contracts.ClientKind.Contact));
        services.AddSingleton(new Crm.Deals.Contracts.DealCardPanel(Areas.Tasks.Features.Panel.DealTasksPanelViewComponent.Name, 15));


        // The bell with the unread count, before the user menu.
        services.AddSingleton(new HeaderWidget(Areas.Tasks.Features.Notifications.NotificationBellViewComponent.Name, 10));
        services.AddSingleton(new NavigationItem("my-day", "My day", "/tasks", "check2-square", 160, typeof(TasksStrings)));
        services.AddSingleton(new NavigationItem("tasks", "Tasks", "/tasks/list", "list-check", 165, typeof(TasksStrings)));
        services.AddSingleton(new NavigationItem("calendar", "Calendar", "/tasks/calendar", "calendar", 170, typeof(TasksStrings)));
        return services;
    }

    public static IEndpointRouteBuilder MapTasksModule(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapTasksApi();
        endpoints.MapCalendarFeed();
        return endpoints;
    }

    internal static void ConfigureDbContext(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", TasksDbContext.Schema))
            .UseSnakeCaseNamingConvention();
}
