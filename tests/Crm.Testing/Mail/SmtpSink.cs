using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Crm.Testing.Mail;

/// <summary>A message the test SMTP server received, as smtp_sink.py wrote it.</summary>
public sealed record ReceivedMail(string From, IReadOnlyList<string> To, string Subject, string MessageId, string Cc, string? Text, string? Html, IReadOnlyList<ReceivedAttachment> Attachments);

public sealed record ReceivedAttachment(string? Name, int Size);

/// <summary>
/// A real SMTP server on 127.0.0.1 for the tests: Debian's python3-aiosmtpd (installed by ./crm.sh test)
/// running smtp_sink.py, which writes each received message to a folder this class reads. Started on a
/// port chosen free, or on a given one (a test first sends to a closed port, then starts the server there).
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Process _process;
    private readonly string _directory;

    private SmtpSink(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Debian's own interpreter, where python3-aiosmtpd is installed (a python3 earlier on PATH, pyenv's say, lacks it).</summary>
    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<SmtpSink> StartAsync(int? port = null)
    {
        var chosen = port ?? FreePort();
        var directory = Path.Combine(Path.GetTempPath(), "crm-smtp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var script = Path.Combine(AppContext.BaseDirectory, "Mail", "smtp_sink.py");
        var process = Process.Start(new ProcessStartInfo(Python, [script, chosen.ToString(System.Globalization.CultureInfo.InvariantCulture), directory])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("python3 did not start.");
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (ready != "ready")
        {
            var error = await process.StandardError.ReadToEndAsync();
            throw new InvalidOperationException($"The test SMTP server did not start (is python3-aiosmtpd installed? ./crm.sh test installs it): {error}");
        }

        return new SmtpSink(process, directory, chosen);
    }

    /// <summary>Every message received so far, in order.</summary>
    public IReadOnlyList<ReceivedMail> Received() =>
        Directory.GetFiles(_directory, "*.json").Order(StringComparer.Ordinal)
            .Select(file => JsonSerializer.Deserialize<ReceivedMail>(File.ReadAllText(file), Json)!)
            .ToList();

    /// <summary>Waits until a message matching <paramref name="match"/> arrives (the browser test's job sends in the background).</summary>
    public async Task<ReceivedMail> WaitForAsync(Func<ReceivedMail, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (Received().FirstOrDefault(match) is { } mail)
            {
                return mail;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No such mail arrived at the test SMTP server.");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        await Task.Run(() => Directory.Delete(_directory, recursive: true));
    }
}
