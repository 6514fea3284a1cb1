using Crm.SharedKernel.Hosting;
using Npgsql;

namespace Crm.Web.Infrastructure.Database;

internal static class DatabaseStartup
{
    // Any constant works; it only has to be the same for every instance of the app.
    private const long MigrationLockKey = 0x43524d_4d494752;

    public static string ResolveDataDirectory(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["Crm:DataDirectory"];
        var directory = Path.GetFullPath(string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(builder.Environment.ContentRootPath, ".data")
            : configured);
        Directory.CreateDirectory(directory);
        // Modules read it too (attached files live in {data}/files).
        builder.Configuration["Crm:DataDirectory"] = directory;
        return directory;
    }

    /// <summary>
    /// With no ConnectionStrings:Crm, starts the development cluster in {data}/postgres and points the
    /// app at its "crm" database. The caller disposes the result after the app stops, which stops the cluster.
    /// </summary>
    public static async Task<LocalPostgresCluster?> UseLocalPostgresWhenNotConfiguredAsync(this WebApplicationBuilder builder, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Crm")))
        {
            return null;
        }

        var cluster = await LocalPostgresCluster.StartPersistentAsync(Path.Combine(dataDirectory, "postgres"));
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = 'crm'", connection);
            if (await exists.ExecuteScalarAsync() is null)
            {
                await cluster.CreateDatabaseAsync("crm");
            }
        }

        builder.Configuration["ConnectionStrings:Crm"] = cluster.ConnectionString("crm");
        Console.WriteLine($"Local PostgreSQL: {cluster.DataDirectory} on 127.0.0.1:{cluster.Port}");
        return cluster;
    }

    /// <summary>
    /// The pool settings every module's <c>DbContext</c> and Hangfire share, unless the connection string sets
    /// them: a page runs half a dozen short queries, each on a connection taken from the pool and given back.
    /// Without these, each one began with a <c>DISCARD ALL</c> and PostgreSQL parsed and planned every query
    /// anew; measured on my day, this halved the database's CPU per page. The app keeps no session state
    /// between uses (no <c>SET</c>, no session advisory lock left taken, temp tables only <c>IF NOT EXISTS</c>
    /// and <c>ON COMMIT DELETE ROWS</c>), so the reset is not needed. Prepared statements are still planned
    /// for each call's values (<c>plan_cache_mode=force_custom_plan</c>): a generic plan chosen for one
    /// scope (a manager's own rows) can be the wrong one for another (an admin's million).
    /// </summary>
    public static void UsePooledConnectionDefaults(this WebApplicationBuilder builder)
    {
        var connection = new NpgsqlConnectionStringBuilder(builder.Configuration.GetConnectionString("Crm"));
        var given = connection.ConnectionString;
        bool Given(string keyword) => given.Contains(keyword, StringComparison.OrdinalIgnoreCase);
        if (!Given("Reset On Close"))
        {
            connection.NoResetOnClose = true;
        }

        if (!Given("Auto Prepare"))
        {
            connection.MaxAutoPrepare = 64;
            connection.AutoPrepareMinUsages = 2;
        }

        if (!Given("Options"))
        {
            connection.Options = "-c plan_cache_mode=force_custom_plan";
        }

        builder.Configuration["ConnectionStrings:Crm"] = connection.ConnectionString;
    }

    /// <summary>
    /// Runs every module's migrations and built-in rows, then the demo data when enabled (or asked for
    /// with --seed), holding an advisory lock so two instances starting together take turns.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app, string[] args)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Crm.Database");
        await using var lockConnection = new NpgsqlConnection(app.Configuration.GetConnectionString("Crm"));
        await lockConnection.OpenAsync();
        await using (var takeLock = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", lockConnection))
        {
            await takeLock.ExecuteNonQueryAsync();
        }

        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            foreach (var module in scope.ServiceProvider.GetServices<IModuleDatabase>().OrderBy(m => m.Order))
            {
                logger.LogInformation("Migrating module {Module}", module.Module);
                await module.InitializeAsync(app.Lifetime.ApplicationStopping);
            }

            if (args.Contains("--seed") || app.Configuration.GetValue("Crm:DemoData:Enabled", false))
            {
                foreach (var seeder in scope.ServiceProvider.GetServices<IDemoDataSeeder>().OrderBy(s => s.Order))
                {
                    await seeder.SeedAsync(app.Lifetime.ApplicationStopping);
                }

                logger.LogInformation("Demo data is in place");
            }
        }
        finally
        {
            // Explicitly: a pooled connection keeps its session (and the lock) until it is reused.
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", lockConnection);
            await unlock.ExecuteNonQueryAsync();
        }
    }
}
