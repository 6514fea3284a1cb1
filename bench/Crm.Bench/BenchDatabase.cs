using Crm.Web.Infrastructure.Database;
using Npgsql;

namespace Crm.Bench;

/// <summary>
/// The benchmark's own database: a throwaway cluster (the same kind the tests use) or, with
/// CRM_BENCH_DB set, a database "crm_bench" on that server, recreated on every run.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly LocalPostgresCluster? _cluster;

    private BenchDatabase(string connectionString, LocalPostgresCluster? cluster)
    {
        ConnectionString = connectionString;
        _cluster = cluster;
    }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync()
    {
        var external = Environment.GetEnvironmentVariable("CRM_BENCH_DB");
        LocalPostgresCluster? cluster = null;
        Func<string, string> connectionString;
        if (string.IsNullOrWhiteSpace(external))
        {
            cluster = await LocalPostgresCluster.StartThrowawayAsync("crm-bench");
            connectionString = cluster.ConnectionString;
        }
        else
        {
            connectionString = database => new NpgsqlConnectionStringBuilder(external) { Database = database }.ConnectionString;
        }

        await using (var connection = new NpgsqlConnection(connectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP DATABASE IF EXISTS crm_bench WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE crm_bench", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new BenchDatabase(connectionString("crm_bench"), cluster);
    }

    /// <summary>Fresh statistics and visibility map after the bulk load, as autovacuum gives a real installation.</summary>
    public async Task AnalyzeAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var analyze = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 1800 };
        await analyze.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
