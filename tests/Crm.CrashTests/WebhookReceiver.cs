using System.Collections.Concurrent;
using System.Net;

namespace Crm.CrashTests;

/// <summary>
/// A webhook receiver on 127.0.0.1 as a careful integrator writes one: every request is recorded by its
/// Idempotency-Key, and the effect (here: a counter) is applied once per key, however often the key comes.
/// It always answers 200.
/// </summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, int> _deliveries = new(StringComparer.Ordinal);
    private int _effects;
    private int _requests;
    private int _withoutKey;

    public WebhookReceiver()
    {
        Url = $"http://127.0.0.1:{AppProcess.FreePort()}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>Deliveries per idempotency key.</summary>
    public IReadOnlyDictionary<string, int> Deliveries => _deliveries;

    /// <summary>Effects applied: one per distinct key if the dedup holds.</summary>
    public int Effects => Volatile.Read(ref _effects);

    public int Requests => Volatile.Read(ref _requests);

    public int WithoutKey => Volatile.Read(ref _withoutKey);

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                // Read the whole body, as a receiver does before it acts.
                await context.Request.InputStream.CopyToAsync(Stream.Null);
                Interlocked.Increment(ref _requests);
                var key = context.Request.Headers["Idempotency-Key"];
                if (string.IsNullOrEmpty(key))
                {
                    Interlocked.Increment(ref _withoutKey);
                }
                else if (_deliveries.AddOrUpdate(key, 1, (_, count) => count + 1) == 1)
                {
                    Interlocked.Increment(ref _effects);
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
            catch (Exception exception) when (exception is HttpListenerException or IOException)
            {
                // The app died mid-request; it sends the same key again.
            }
        }
    }
}
