using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;

namespace Crm.Bench;

/// <summary>
/// Issue 6's goals: 1 000 stage changes, each starting a scenario of 3 actions (a task, an in-app notification,
/// a webhook to a receiver in this process), all actions done within 60 s of the last change; and Hangfire's
/// own throughput on this machine, at least 100 jobs/s. Both are one-off measurements like the reminder sweep:
/// the table's row is the whole thing's duration, the numbers that matter are printed under it.
/// </summary>
internal static partial class Scenarios
{
    public const int AutomationChanges = 1_000;
    public const int ThroughputJobs = 2_000;

    private static IEnumerable<Scenario> Automation(string baseUrl, string connectionString)
    {
        yield return new Scenario(
            $"automation: {AutomationChanges:N0} stage changes x 3 actions (last change to last action done)",
            () => TokenClientAsync(baseUrl),
            client => StageChangesAsync(client, connectionString),
            Requests: 1,
            Concurrency: 1);
        yield return new Scenario(
            $"automation: Hangfire throughput, {ThroughputJobs:N0} trivial jobs (jobs/s processed)",
            () => Task.FromResult(Client(baseUrl)),
            _ => HangfireThroughputAsync(connectionString),
            Requests: 1,
            Concurrency: 1);
    }

    /// <summary>
    /// A scenario on entering the goods pipeline's first stage (create a task for the owner, notify the owner,
    /// call a webhook); 8 API clients move deals there and back to where they were until 1 000 moves went in.
    /// Measured by the database's own times: the last trigger's moment to the last action's finish.
    /// </summary>
    private static async Task<HttpResponseMessage> StageChangesAsync(HttpClient api, string connectionString)
    {
        using var receiver = new BenchWebhookReceiver();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var goods = (await Datasets.DealsDataset.PipelinesAsync(connection))[0];
        var target = goods.Stages.Where(s => s.Kind == "Open" && !s.IsPause).OrderBy(s => s.Position).First();
        var deals = new List<(Guid Deal, Guid Stage)>();
        await using (var command = new NpgsqlCommand(
            $"SELECT id, stage_id FROM deals.deals WHERE pipeline_id = '{goods.Id}' AND stage_id <> '{target.Id}' AND deleted_at IS NULL AND closed_at IS NULL AND amount > 0 AND payment_form IS NOT NULL AND delivery IS NOT NULL ORDER BY random() LIMIT 400", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                deals.Add((reader.GetGuid(0), reader.GetGuid(1)));
            }
        }

        var admin = await ScalarAsync<Guid>(connection, $"SELECT id FROM identity.users WHERE normalized_email = '{AdminEmail.ToUpperInvariant()}'");
        var scenarioId = Guid.CreateVersion7();
        var actions = JsonSerializer.Serialize(new object[]
        {
            new { kind = "create_task", taskKind = "call", text = "Bench: {{ deal.title }}", recipient = "owner", dueOffset = "+1d 10:00" },
            new { kind = "notify", text = "Bench: {{ deal.title }} entered the stage", recipient = "owner" },
            new { kind = "webhook", url = receiver.Url, secret = "bench" },
        });
        await using (var insert = new NpgsqlCommand(
            """
            UPDATE automation.scenarios SET is_active = false WHERE name LIKE 'Bench%';
            INSERT INTO automation.scenarios (id, name, trigger, pipeline_id, stage_id, conditions, actions, is_active, run_as_user_id, created_at, updated_at)
            VALUES (@id, 'Bench: 3 actions', 'stage_entered', @pipeline, @stage, '[]'::jsonb, @actions::jsonb, true, @admin, now(), now())
            """, connection))
        {
            insert.Parameters.AddWithValue("id", scenarioId);
            insert.Parameters.AddWithValue("pipeline", goods.Id);
            insert.Parameters.AddWithValue("stage", target.Id);
            insert.Parameters.AddWithValue("actions", actions);
            insert.Parameters.AddWithValue("admin", admin);
            await insert.ExecuteNonQueryAsync();
        }

        // 8 workers, each with its share of the deals: into the stage (a change that counts as soon as it went
        // in), back where it was (not a trigger of this scenario). A deal refused either way is dropped. The
        // number of changes that count, and so of actions to wait for, is the database's: the triggers written.
        var entered = 0;
        var refused = 0;
        var startedAt = await ScalarAsync<DateTime>(connection, "SELECT now()");
        var moving = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var mine = deals.Where((_, i) => i % 8 == worker).ToList();
            for (var i = 0; mine.Count > 0 && Volatile.Read(ref entered) < AutomationChanges; i++)
            {
                var (deal, home) = mine[i % mine.Count];
                using var there = await api.PostAsJsonAsync($"/api/v1/deals/{deal}/move", new { stageId = target.Id });
                if (there.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref entered);
                }

                using var back = await api.PostAsJsonAsync($"/api/v1/deals/{deal}/move", new { stageId = home });
                if (!there.IsSuccessStatusCode || !back.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref refused);
                    mine.RemoveAt(i % mine.Count);
                }
            }
        })));
        moving.Stop();
        var changes = (int)await ScalarAsync<long>(connection,
            $"SELECT count(*) FROM deals.outbox WHERE kind = 'stage_entered' AND stage_id = '{target.Id}' AND occurred_at >= '{startedAt:O}'::timestamptz");
        if (changes < AutomationChanges)
        {
            Console.WriteLine($"  automation: only {changes} stage changes went through ({refused} deals refused a move)");
            return new HttpResponseMessage(HttpStatusCode.PreconditionFailed);
        }

        var expected = changes * 3;
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            await using var probe = new NpgsqlCommand(
                """
                SELECT count(*), count(*) FILTER (WHERE a.status IN ('succeeded', 'failed', 'skipped')), count(*) FILTER (WHERE a.status <> 'succeeded'),
                       max(a.finished_at), (SELECT max(occurred_at) FROM deals.outbox WHERE kind = 'stage_entered' AND stage_id = @stage), min(r.triggered_at)
                FROM automation.action_runs a JOIN automation.runs r ON r.id = a.run_id WHERE r.scenario_id = @scenario
                """, connection);
            probe.Parameters.AddWithValue("scenario", scenarioId);
            probe.Parameters.AddWithValue("stage", target.Id);
            await using var reader = await probe.ExecuteReaderAsync();
            await reader.ReadAsync();
            var (recorded, done, notSucceeded) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            if (recorded < expected || done < expected)
            {
                continue;
            }

            var (lastDone, lastChange, firstChange) = (reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5));
            var lag = lastDone - lastChange;
            Console.WriteLine(
                $"  automation: {changes:N0} stage changes through the API in {moving.Elapsed.TotalSeconds:0.0} s ({changes * 2 / moving.Elapsed.TotalSeconds:0} moves/s, 8 clients); " +
                $"{expected:N0} actions ({notSucceeded} not succeeded), the last done {lag.TotalSeconds:0.0} s after the last change; " +
                $"{expected / (lastDone - firstChange).TotalSeconds:0} actions/s from the first change; webhook requests {receiver.Requests}, distinct keys {receiver.Keys}");
            await reader.DisposeAsync();
            if (notSucceeded > 0)
            {
                // What went wrong, by kind and reason: the first thing anyone asks when this line shows up.
                await using var why = new NpgsqlCommand(
                    "SELECT a.kind, a.status, left(coalesce(a.error, a.outcome, ''), 160), count(*) " +
                    "FROM automation.action_runs a JOIN automation.runs r ON r.id = a.run_id " +
                    "WHERE r.scenario_id = @scenario AND a.status <> 'succeeded' GROUP BY 1, 2, 3 ORDER BY 4 DESC LIMIT 8", connection);
                why.Parameters.AddWithValue("scenario", scenarioId);
                await using var reasons = await why.ExecuteReaderAsync();
                while (await reasons.ReadAsync())
                {
                    Console.WriteLine($"    {reasons.GetInt64(3)} x {reasons.GetString(0)} {reasons.GetString(1)}: {reasons.GetString(2)}");
                }
            }

            return new HttpResponseMessage(notSucceeded > 0 ? HttpStatusCode.InternalServerError : lag <= TimeSpan.FromSeconds(60) ? HttpStatusCode.OK : HttpStatusCode.RequestTimeout);
        }

        Console.WriteLine("  automation: not all actions done within 5 minutes");
        return new HttpResponseMessage(HttpStatusCode.GatewayTimeout);
    }

    /// <summary>
    /// Hangfire alone: 2 000 jobs that do nothing (Math.Abs) enqueued into the app's storage from here, 8 at a
    /// time, and the time from the first enqueue until the app's server has all of them succeeded. What it
    /// measures is the fetch, state changes and polling, per job.
    /// </summary>
    private static async Task<HttpResponseMessage> HangfireThroughputAsync(string connectionString)
    {
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(options => options.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = false });
        var client = new BackgroundJobClient();
        var ids = new ConcurrentBag<long>();
        var watch = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            while (Interlocked.Increment(ref next) <= ThroughputJobs)
            {
                ids.Add(long.Parse(client.Enqueue(() => Math.Abs(-1)), System.Globalization.CultureInfo.InvariantCulture));
            }
        })));
        var enqueued = watch.Elapsed;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var all = ids.ToArray();
        while (watch.Elapsed < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(100);
            await using var count = new NpgsqlCommand("SELECT count(*) FROM hangfire.job WHERE id = ANY(@ids) AND statename = 'Succeeded'", connection);
            count.Parameters.AddWithValue("ids", all);
            if ((long)(await count.ExecuteScalarAsync())! >= all.Length)
            {
                var perSecond = all.Length / watch.Elapsed.TotalSeconds;
                Console.WriteLine(
                    $"  automation: Hangfire processed {all.Length:N0} jobs in {watch.Elapsed.TotalSeconds:0.0} s = {perSecond:0} jobs/s " +
                    $"(enqueued in {enqueued.TotalSeconds:0.0} s = {all.Length / enqueued.TotalSeconds:0}/s from 8 clients)");
                return new HttpResponseMessage(perSecond >= 100 ? HttpStatusCode.OK : HttpStatusCode.RequestTimeout);
            }
        }

        Console.WriteLine("  automation: Hangfire did not process the jobs within 3 minutes");
        return new HttpResponseMessage(HttpStatusCode.GatewayTimeout);
    }

    /// <summary>A webhook receiver on 127.0.0.1 that answers 200 and counts requests and distinct idempotency keys.</summary>
    private sealed class BenchWebhookReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentDictionary<string, bool> _keys = new(StringComparer.Ordinal);
        private int _requests;

        public BenchWebhookReceiver()
        {
            using (var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
            {
                socket.Start();
                Url = $"http://127.0.0.1:{((IPEndPoint)socket.LocalEndpoint).Port}/hook/";
            }

            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public int Requests => Volatile.Read(ref _requests);

        public int Keys => _keys.Count;

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                try
                {
                    var context = await _listener.GetContextAsync();
                    await context.Request.InputStream.CopyToAsync(Stream.Null);
                    Interlocked.Increment(ref _requests);
                    _keys.TryAdd(context.Request.Headers["Idempotency-Key"] ?? "", true);
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
                {
                    // Closed at the end of the scenario.
                }
            }
        }
    }
}
