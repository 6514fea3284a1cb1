using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Crm.Bench;

/// <summary>
/// The app as users run it: its own process (Release build of src/Crm.Web), Production environment,
/// request logging at Warning so the console does not become the bottleneck being measured.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;

    private AppProcess(Process process, string baseUrl, string dataDirectory)
    {
        _process = process;
        BaseUrl = baseUrl;
        _dataDirectory = dataDirectory;
    }

    public string BaseUrl { get; }

    /// <summary>The app's peak resident memory so far (VmHWM from /proc), in MiB; null where /proc is absent.</summary>
    public double? PeakMemoryMiB()
    {
        var status = $"/proc/{_process.Id}/status";
        if (!File.Exists(status))
        {
            return null;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    public static async Task<AppProcess> RunToEndAsync(string root, string connectionString, params string[] arguments)
    {
        var app = Start(root, connectionString, "http://127.0.0.1:0", arguments);
        await app._process.WaitForExitAsync();
        if (app._process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The app exited with {app._process.ExitCode} for {string.Join(' ', arguments)}.");
        }

        return app;
    }

    public static async Task<AppProcess> StartAsync(string root, string connectionString)
    {
        var port = FreePort();
        var app = Start(root, connectionString, $"http://127.0.0.1:{port}", []);
        using var client = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (app._process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {app._process.ExitCode} on start.");
            }

            try
            {
                if ((await client.GetAsync(app.BaseUrl + "/health")).IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The app did not answer /health within 60 s.");
    }

    private static AppProcess Start(string root, string connectionString, string url, string[] arguments)
    {
        var web = Path.Combine(root, "src", "Crm.Web");
        var dll = Path.Combine(web, "bin", "Release", "net10.0", "Crm.Web.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Build the app first (./crm.sh bench does).", dll);
        }

        var dataDirectory = Path.Combine(Path.GetTempPath(), "crm-bench-data-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = web, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["ConnectionStrings__Crm"] = connectionString;
        start.Environment["Crm__DataDirectory"] = dataDirectory;
        start.Environment["Crm__Logging__Level"] = "Warning";
        start.Environment["Crm__DemoData__Enabled"] = "false";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app.");
        return new AppProcess(process, url, dataDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the app shuts down gracefully, as on Ctrl+C.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
