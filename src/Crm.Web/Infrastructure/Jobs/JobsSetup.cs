using Crm.SharedKernel.Access;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;

namespace Crm.Web.Infrastructure.Jobs;

/// <summary>
/// Hangfire on PostgreSQL in schema "hangfire". The queue is polled every half second (the default
/// 15 s would make "within a minute" reminders and progress bars sluggish). A job whose process died
/// comes back after the invisibility timeout, so it is kept short enough for that to matter
/// (Crm:Jobs:InvisibilityTimeoutSeconds, 5 minutes; the crash test lowers it). It must stay longer than the
/// longest job, or a job still running would be fetched a second time.
/// Hangfire's distributed locks are rows in hangfire.lock, and a process killed while holding one leaves it
/// behind until it is older than <c>DistributedLockTimeout</c>. Hangfire's schedulers take such locks every
/// second (delayed jobs) and every minute (recurring jobs) for a few milliseconds, so with the default ten
/// minutes one unlucky kill stopped every retry, delay and recurring job for ten minutes. A minute is far
/// longer than a scheduler pass; the app's own jobs never rely on Hangfire locks (ADR 0017).
/// </summary>
internal static class JobsSetup
{
    public static IServiceCollection AddCrmJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Crm")!;
        var invisibilityTimeout = TimeSpan.FromSeconds(configuration.GetValue("Crm:Jobs:InvisibilityTimeoutSeconds", 300));
        services.AddHangfire(hangfire => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                options => options.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire",
                    QueuePollInterval = TimeSpan.FromMilliseconds(500),
                    InvisibilityTimeout = invisibilityTimeout,
                    DistributedLockTimeout = TimeSpan.FromMinutes(1),
                    PrepareSchemaIfNecessary = true,
                }));

        if (configuration.GetValue("Crm:Jobs:RunServer", true))
        {
            services.AddHangfireServer(options =>
            {
                options.ServerName = $"crm-{Environment.MachineName}-{Environment.ProcessId}";
                options.WorkerCount = configuration.GetValue("Crm:Jobs:Workers", Math.Max(4, Environment.ProcessorCount * 2));
                options.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            });
        }

        return services;
    }

    public static void MapCrmJobsDashboard(this WebApplication app) =>
        app.UseHangfireDashboard("/admin/jobs", new DashboardOptions
        {
            Authorization = [new AdminsOnly()],
            DashboardTitle = "Crm — jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        });

    /// <summary>The dashboard is for admins; anybody else gets 403 (anonymous visitors 401).</summary>
    private sealed class AdminsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) =>
            context.GetHttpContext().User.IsInRole(BuiltInRoles.Admin);
    }
}
