using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Crm.CrashTests;

/// <summary>
/// The app as people run it, as the bench starts it: the built src/Crm.Web (the configuration this test was
/// built in), Production, its own process on a free port. <see cref="KillAsync"/> is SIGKILL (kill -9): no
/// shutdown, no finally blocks, Hangfire's fetched jobs and open transactions left as they were. The app's
/// console goes to a log file kept next to the data directory, for a failure to be looked into.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "crm-crash-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    public AppProcess(string connectionString, IReadOnlyDictionary<string, string> settings)
    {
        _connectionString = connectionString;
        _settings = settings;
        BaseUrl = $"http://127.0.0.1:{FreePort()}";
        Directory.CreateDirectory(_dataDirectory);
    }

    public string BaseUrl { get; }

    public string LogFile => Path.Combine(_dataDirectory, "app.log");

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Crm.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Crm.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Starts the app and waits until /health answers.</summary>
    public async Task StartAsync()
    {
        var configuration = typeof(AppProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var web = Path.Combine(RepositoryRoot(), "src", "Crm.Web");
        var dll = Path.Combine(web, "bin", configuration, "net10.0", "Crm.Web.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Build the app first (./crm.sh test does).", dll);
        }

        // exec: the shell becomes dotnet, so the process id is the app's and SIGKILL reaches it.
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = web, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec dotnet \"$0\" >>\"$1\" 2>&1");
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(LogFile);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = BaseUrl;
        start.Environment["ConnectionStrings__Crm"] = _connectionString;
        start.Environment["Crm__DataDirectory"] = _dataDirectory;
        start.Environment["Crm__Logging__Level"] = "Warning";
        foreach (var (key, value) in _settings)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app.");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {_process.ExitCode} on start; see {LogFile}.");
            }

            try
            {
                if ((await client.GetAsync(BaseUrl + "/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The app did not answer /health within 90 s; see {LogFile}.");
    }

    /// <summary>kill -9 and wait until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            using (var kill = Process.Start("kill", ["-KILL", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // SIGTERM at the end: a graceful stop, as on Ctrl+C.
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process?.Dispose();
    }

    /// <summary>The data directory (keys, files) and the log go with the test, unless it failed.</summary>
    public void DeleteFiles()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
