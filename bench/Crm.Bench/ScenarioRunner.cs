using System.Diagnostics;

namespace Crm.Bench;

internal sealed record ScenarioResult(string Name, int Requests, double P50, double P95, double P99, double Max, int Errors, double RequestsPerSecond);

/// <summary>
/// Runs a scenario with N workers, each sending requests back to back over its own client until the
/// total is reached. A warm-up of 5 % (at least 50 requests) is not measured: JIT and connection pools.
/// </summary>
internal static class ScenarioRunner
{
    public static async Task<ScenarioResult> RunAsync(Scenario scenario, int concurrency, int requests)
    {
        concurrency = scenario.Concurrency ?? concurrency;
        requests = scenario.Requests ?? requests;
        var clients = new HttpClient[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            clients[i] = await scenario.Prepare();
        }

        try
        {
            await RunWorkersAsync(scenario, clients, scenario.Requests is null ? Math.Max(50, requests / 20) : 1, latencies: null);
            var latencies = new double[requests];
            var errors = 0;
            var wall = Stopwatch.StartNew();
            errors = await RunWorkersAsync(scenario, clients, requests, latencies);
            wall.Stop();
            Array.Sort(latencies);
            return new ScenarioResult(
                scenario.Name,
                requests,
                Percentile(latencies, 0.50),
                Percentile(latencies, 0.95),
                Percentile(latencies, 0.99),
                latencies[^1],
                errors,
                requests / wall.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static async Task<int> RunWorkersAsync(Scenario scenario, HttpClient[] clients, int requests, double[]? latencies)
    {
        var next = -1;
        var errors = 0;
        await Task.WhenAll(clients.Select(client => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < requests)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await scenario.Request(client);
                    await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode != scenario.Expected)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }

                if (latencies is not null)
                {
                    latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }
        })));
        return errors;
    }

    private static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
