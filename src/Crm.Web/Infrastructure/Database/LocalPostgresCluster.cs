using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Crm.Web.Infrastructure.Database;

/// <summary>
/// A PostgreSQL cluster run from the machine's own binaries (initdb, pg_ctl), for development
/// (./crm.sh run keeps one in .data/postgres), for the tests (a throwaway one under /tmp) and for the
/// benchmark. As root the binaries run as user "postgres", since initdb refuses root.
/// See docs/adr/0002-local-postgresql.md.
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    private readonly string _binDirectory;
    private readonly bool _deleteOnDispose;
    private bool _stopped;

    private LocalPostgresCluster(string dataDirectory, string binDirectory, int port, bool deleteOnDispose)
    {
        DataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        Port = port;
        _deleteOnDispose = deleteOnDispose;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        // Trust authentication on loopback only: initdb below sets it, nothing listens elsewhere.
        Pooling = true,
        MaxPoolSize = 50,
    }.ConnectionString;

    /// <summary>Starts (creating when missing) a cluster that outlives this process, reusing its data next time.</summary>
    public static Task<LocalPostgresCluster> StartPersistentAsync(string dataDirectory, CancellationToken cancellationToken = default) =>
        StartAsync(dataDirectory, deleteOnDispose: false, fastAndUnsafe: false, cancellationToken);

    /// <summary>Starts a new cluster with durability off (fsync, synchronous commit) that is deleted on dispose.</summary>
    public static Task<LocalPostgresCluster> StartThrowawayAsync(string name, CancellationToken cancellationToken = default) =>
        StartAsync(Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}"), deleteOnDispose: true, fastAndUnsafe: true, cancellationToken);

    private static async Task<LocalPostgresCluster> StartAsync(string dataDirectory, bool deleteOnDispose, bool fastAndUnsafe, CancellationToken cancellationToken)
    {
        var bin = FindBinDirectory();
        dataDirectory = Path.GetFullPath(dataDirectory);
        var asPostgresUser = Environment.UserName == "root";

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            Directory.CreateDirectory(dataDirectory);
            if (asPostgresUser)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", dataDirectory], asUser: null, cancellationToken);
                EnsureTraversable(dataDirectory);
            }

            await RunAsync(Path.Combine(bin, "initdb"),
                ["-D", dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"],
                asPostgresUser ? "postgres" : null, cancellationToken);
        }
        else if (RunningPort(dataDirectory) is { } runningPort)
        {
            // Either a previous run was killed and left its server behind (stop it and start afresh), or
            // another app is using it right now (refuse, rather than pull the database from under it).
            if (await HasClientsAsync(runningPort, cancellationToken))
            {
                throw new InvalidOperationException(
                    $"The PostgreSQL server in {dataDirectory} (port {runningPort}) is in use by another process: is another ./crm.sh run active?");
            }

            await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", dataDirectory, "-m", "fast", "-w", "stop"], asPostgresUser ? "postgres" : null, cancellationToken);
        }

        var port = FreePort();
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -k /tmp -c max_connections=200 -c shared_buffers=256MB";
        if (fastAndUnsafe)
        {
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }

        await RunAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", dataDirectory, "-o", options, "-l", Path.Combine(dataDirectory, "server.log"), "-w", "-t", "60", "start"],
            asPostgresUser ? "postgres" : null, cancellationToken);
        return new LocalPostgresCluster(dataDirectory, bin, port, deleteOnDispose);
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"],
            Environment.UserName == "root" ? "postgres" : null, CancellationToken.None);
        if (_deleteOnDispose)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    public async Task CreateDatabaseAsync(string name, string? template = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = template is null
            ? $"CREATE DATABASE \"{name}\""
            : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The port of the server running on this data directory (postmaster.pid, line 4), or null.</summary>
    private static int? RunningPort(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        var lines = File.ReadAllLines(pidFile);
        if (lines.Length < 4 || !int.TryParse(lines[0], out var pid) || !int.TryParse(lines[3], out var port))
        {
            return null;
        }

        try
        {
            return Process.GetProcessById(pid).HasExited ? null : port;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static async Task<bool> HasClientsAsync(int port, CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    private static string FindBinDirectory()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin"))
            : [];
        foreach (var candidate in candidates.Append("/usr/local/bin").Append("/usr/bin"))
        {
            if (File.Exists(Path.Combine(candidate, "pg_ctl")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install PostgreSQL 15 or set ConnectionStrings__Crm.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The postgres user must be able to walk down to the data directory (home folders often forbid it).</summary>
    private static void EnsureTraversable(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        for (var parent = Directory.GetParent(directory); parent is not null; parent = parent.Parent)
        {
            var mode = File.GetUnixFileMode(parent.FullName);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                throw new InvalidOperationException(
                    $"User postgres cannot enter {parent.FullName}; set Crm:DataDirectory to a path it can reach, or ConnectionStrings__Crm.");
            }
        }
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string? asUser, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = asUser is null ? fileName : "runuser",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asUser is not null)
        {
            foreach (var part in new[] { "-u", asUser, "--", fileName })
            {
                start.ArgumentList.Add(part);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
