using Crm.Web.Infrastructure.Database;
using Npgsql;

namespace Crm.Testing;

/// <summary>
/// One PostgreSQL server per test run: a throwaway cluster from the machine's binaries, or the server
/// named by CRM_TEST_DB (a connection string whose user may create databases). The first caller builds
/// a template database (migrated, demo data seeded); every test class then gets its own copy with
/// CREATE DATABASE ... TEMPLATE, which takes milliseconds. See docs/adr/0002-local-postgresql.md.
/// </summary>
public static class TestDatabases
{
    // Per process: two test runs sharing one CRM_TEST_DB server must not drop each other's template.
    private static readonly string TemplateName = $"crm_template_{Environment.ProcessId}";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Func<string, string>? _connectionString;
    private static LocalPostgresCluster? _cluster;
    private static bool _templateReady;
    private static int _counter;

    public static async Task<string> CreateAsync(string prefix)
    {
        await Gate.WaitAsync();
        try
        {
            await EnsureServerAsync();
            if (!_templateReady)
            {
                await CreateTemplateAsync();
                _templateReady = true;
            }
        }
        finally
        {
            Gate.Release();
        }

        var name = $"{prefix.ToLowerInvariant()}_{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{TemplateName}\"");
        return _connectionString!(name);
    }

    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    private static async Task EnsureServerAsync()
    {
        if (_connectionString is not null)
        {
            return;
        }

        var external = Environment.GetEnvironmentVariable("CRM_TEST_DB");
        if (!string.IsNullOrWhiteSpace(external))
        {
            _connectionString = database => new NpgsqlConnectionStringBuilder(external) { Database = database }.ConnectionString;
        }
        else
        {
            _cluster = await LocalPostgresCluster.StartThrowawayAsync("crm-tests");
            _connectionString = _cluster.ConnectionString;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => _cluster.StopAsync().GetAwaiter().GetResult();
        }

        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{TemplateName}\" WITH (FORCE)");
    }

    private static async Task CreateTemplateAsync()
    {
        await ExecuteAsync($"CREATE DATABASE \"{TemplateName}\"");
        var connectionString = _connectionString!(TemplateName);

        // Starting the app once runs every module's migrations and the demo seeders, exactly as in production.
        try
        {
            await using var factory = new CrmAppFactory(connectionString);
            _ = factory.Services;
        }
        catch
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"DROP DATABASE IF EXISTS \"{TemplateName}\" WITH (FORCE)");
            throw;
        }

        // A template must have no open connections when it is copied.
        NpgsqlConnection.ClearAllPools();
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString!("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
