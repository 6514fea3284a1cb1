using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Testing;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Crm.CrashTests;

/// <summary>
/// Issue 6's crash test. The app runs as its own process with the Hangfire server on; a scenario "on entering
/// stage X: create a task for the owner + call a webhook" is saved; 200 stage changes into X go through the
/// API while the app is killed with SIGKILL at 10 random moments and started again each time. After the last
/// start every action must be done: each task exactly once (by its origin key), each webhook delivered at
/// least once and applied once per Idempotency-Key by the receiver, every run and action succeeded.
/// </summary>
public sealed class ScenarioCrashTests(ITestOutputHelper output)
{
    private const int StageChanges = 200;
    private const int Kills = 10;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Scenarios_survive_ten_kills_with_every_task_once_and_every_webhook_applied_once()
    {
        var total = Stopwatch.StartNew();
        var connectionString = await TestDatabases.CreateAsync("crash");
        using var receiver = new WebhookReceiver();
        var (stageA, stageX, deals) = await PrepareAsync(connectionString);
        var app = new AppProcess(connectionString, new Dictionary<string, string>
        {
            ["Crm__Jobs__RunServer"] = "true",
            // No job here runs longer than a 10 s webhook: a killed job's Hangfire copy comes back after a
            // minute instead of five (the pump queues it again after 30 s anyway).
            ["Crm__Jobs__InvisibilityTimeoutSeconds"] = "60",
        });
        var passed = false;
        try
        {
            await app.StartAsync();
            using var api = await ApiClientAsync(app.BaseUrl);
            var scenarioId = await SaveScenarioAsync(connectionString, stageX, receiver.Url);
            var started = DateTimeOffset.UtcNow.AddSeconds(-1);

            // The driver moves deals A → X (the change that counts) and back, one after another; the killer
            // SIGKILLs the app at 10 random points of the run, after a random pause (mid-request, mid-drain,
            // mid-action), keeps it down a moment, and starts it again.
            var random = new Random();
            var killPoints = Enumerable.Range(0, Kills).Select(i => (StageChanges * i / Kills) + random.Next(2, StageChanges / Kills)).ToArray();
            var entries = 0;
            var kills = 0;
            var refusedCalls = 0;
            DateTimeOffset lastRestart = default;
            var killer = Task.Run(async () =>
            {
                foreach (var point in killPoints)
                {
                    while (Volatile.Read(ref entries) < point)
                    {
                        await Task.Delay(20);
                    }

                    await Task.Delay(random.Next(0, 1500));
                    await app.KillAsync();
                    kills++;
                    await Task.Delay(random.Next(0, 1000));
                    await app.StartAsync();
                    lastRestart = DateTimeOffset.UtcNow;
                }
            });

            var moves = Stopwatch.StartNew();
            for (var i = 0; Volatile.Read(ref entries) < StageChanges; i++)
            {
                if (killer.IsFaulted)
                {
                    await killer;
                }

                var deal = deals[i % deals.Count];
                if (!await MoveAsync(api, deal, stageA) || !await MoveAsync(api, deal, stageX))
                {
                    refusedCalls++;
                    await Task.Delay(100);
                }

                // Counted in the database: a call cut by a kill may have been committed or not.
                Volatile.Write(ref entries, await EntriesAsync(connectionString, stageX, started));
            }

            moves.Stop();
            await killer;

            var drain = Stopwatch.StartNew();
            var (runs, actions) = await DrainedAsync(connectionString, scenarioId, entries);
            drain.Stop();

            var report = await CheckAsync(connectionString, scenarioId, receiver);
            var duplicates = receiver.Requests - receiver.Effects;
            var summary = string.Create(CultureInfo.InvariantCulture,
                $"Crash test: {entries} stage changes in {moves.Elapsed.TotalSeconds:0} s ({refusedCalls} move attempts cut or refused while the app was down), {kills} kills (SIGKILL) and restarts; " +
                $"{runs} runs, {actions} actions, all succeeded ({report.ActionsStartedAgain} started again after a kill), drained {drain.Elapsed.TotalSeconds:0} s after the last change " +
                $"({(DateTimeOffset.UtcNow - lastRestart).TotalSeconds:0} s after the last restart); tasks {report.Tasks} ({report.DistinctTaskKeys} distinct keys, {report.ActionsWithoutTask} missing); " +
                $"webhook requests {receiver.Requests}, effects {receiver.Effects}, duplicates received {duplicates} (deduplicated by key); total {total.Elapsed.TotalSeconds:0} s");
            output.WriteLine(summary);
            Console.WriteLine(summary);

            Assert.Equal(Kills, kills);
            Assert.Equal(StageChanges, entries);
            Assert.Equal(StageChanges, runs);
            Assert.Equal(2 * StageChanges, actions);
            Assert.Equal(StageChanges, report.Tasks);
            Assert.Equal(StageChanges, report.DistinctTaskKeys);
            Assert.Equal(0, report.ActionsWithoutTask);
            Assert.Equal(0, receiver.WithoutKey);
            Assert.Equal(StageChanges, receiver.Effects);
            Assert.Equal(report.WebhookKeys.Order(StringComparer.Ordinal), receiver.Deliveries.Keys.Order(StringComparer.Ordinal));
            passed = true;
        }
        finally
        {
            await app.DisposeAsync();
            if (passed)
            {
                app.DeleteFiles();
                await TestDatabases.DropAsync(connectionString);
            }
            else
            {
                output.WriteLine($"The app's log: {app.LogFile}");
            }
        }
    }

    /// <summary>
    /// The first pipeline made free (any stage to any, no required fields) so every move goes through; its first
    /// two open stages are A and X; the open deals in it are the ones moved.
    /// </summary>
    private static async Task<(Guid StageA, Guid StageX, List<Guid> Deals)> PrepareAsync(string connectionString)
    {
        await using var connection = await OpenAsync(connectionString);
        var pipeline = (Guid)(await ScalarAsync(connection, "SELECT id FROM deals.pipelines ORDER BY position LIMIT 1"))!;
        await ScalarAsync(connection, $"UPDATE deals.pipelines SET mode = 'Free', allow_back = true WHERE id = '{pipeline}'");
        await ScalarAsync(connection, $"UPDATE deals.stages SET required_fields = '{{}}' WHERE pipeline_id = '{pipeline}'");
        var stages = await ListAsync(connection, $"SELECT id FROM deals.stages WHERE pipeline_id = '{pipeline}' AND kind = 'Open' AND NOT is_pause ORDER BY position LIMIT 2");
        var deals = await ListAsync(connection, $"SELECT id FROM deals.deals WHERE pipeline_id = '{pipeline}' AND deleted_at IS NULL AND closed_at IS NULL ORDER BY id");
        Assert.True(deals.Count >= 5, $"The demo data has {deals.Count} open deals in the first pipeline.");
        return (stages[0], stages[1], deals);
    }

    private static async Task<Guid> SaveScenarioAsync(string connectionString, Guid stageX, string webhookUrl)
    {
        await using var connection = await OpenAsync(connectionString);
        var admin = (Guid)(await ScalarAsync(connection, $"SELECT id FROM identity.users WHERE normalized_email = '{CrmApp.Admin.ToUpperInvariant()}'"))!;
        var id = Guid.CreateVersion7();
        // As System.Text.Json's web defaults write ScenarioAction (the column's own format).
        var actions = JsonSerializer.Serialize(
            new object[]
            {
                new { kind = "create_task", taskKind = "call", text = "Crash test: {{ deal.title }}", recipient = "owner", dueOffset = "+1d 10:00" },
                new { kind = "webhook", url = webhookUrl, secret = "crash" },
            });
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO automation.scenarios (id, name, trigger, pipeline_id, stage_id, conditions, actions, is_active, run_as_user_id, created_at, updated_at)
            SELECT @id, 'Crash test', 'stage_entered', pipeline_id, id, '[]'::jsonb, @actions::jsonb, true, @admin, now(), now() FROM deals.stages WHERE id = @stage
            """,
            connection);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("actions", actions);
        insert.Parameters.AddWithValue("admin", admin);
        insert.Parameters.AddWithValue("stage", stageX);
        Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        return id;
    }

    /// <summary>True when the app answered the move; false when the call was cut (the app is down or died).</summary>
    private static async Task<bool> MoveAsync(HttpClient api, Guid deal, Guid stage)
    {
        try
        {
            using var response = await api.PostAsJsonAsync($"/api/v1/deals/{deal}/move", new { stageId = stage });
            if (response.StatusCode >= HttpStatusCode.InternalServerError)
            {
                return false;
            }

            Assert.True(response.IsSuccessStatusCode, $"The move answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<int> EntriesAsync(string connectionString, Guid stageX, DateTimeOffset since)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM deals.outbox WHERE kind = 'stage_entered' AND stage_id = @stage AND occurred_at >= @since", connection);
        count.Parameters.AddWithValue("stage", stageX);
        count.Parameters.AddWithValue("since", since);
        return (int)(long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>Polls until every stage change has its run and every run its two actions, all finished.</summary>
    private async Task<(int Runs, int Actions)> DrainedAsync(string connectionString, Guid scenarioId, int entries)
    {
        var deadline = DateTime.UtcNow + DrainTimeout;
        var last = "";
        while (true)
        {
            await using (var connection = await OpenAsync(connectionString))
            await using (var command = new NpgsqlCommand(
                """
                SELECT (SELECT count(*) FROM automation.runs WHERE scenario_id = @s),
                       (SELECT count(*) FROM automation.runs WHERE scenario_id = @s AND finished_at IS NOT NULL),
                       (SELECT count(*) FROM automation.action_runs a JOIN automation.runs r ON r.id = a.run_id WHERE r.scenario_id = @s),
                       (SELECT count(*) FROM automation.action_runs a JOIN automation.runs r ON r.id = a.run_id WHERE r.scenario_id = @s AND a.status IN ('succeeded', 'failed', 'skipped')),
                       (SELECT string_agg(status || ' ' || n, ', ') FROM (SELECT a.status, count(*) n FROM automation.action_runs a JOIN automation.runs r ON r.id = a.run_id WHERE r.scenario_id = @s GROUP BY a.status) x),
                       (SELECT count(*) FROM deals.outbox WHERE processed_at IS NULL)
                """,
                connection))
            {
                command.Parameters.AddWithValue("s", scenarioId);
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                var (runs, finishedRuns, actions, finishedActions) = ((int)reader.GetInt64(0), reader.GetInt64(1), (int)reader.GetInt64(2), reader.GetInt64(3));
                last = $"{runs} runs ({finishedRuns} finished), {actions} actions ({(reader.IsDBNull(4) ? "" : reader.GetString(4))}), {reader.GetInt64(5)} outbox rows waiting";
                if (runs == entries && finishedRuns == runs && actions == 2 * runs && finishedActions == actions)
                {
                    return (runs, actions);
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                output.WriteLine("Not drained: " + last);
                Assert.Fail($"Not all actions were done within {DrainTimeout.TotalMinutes} min of the last change: {last}");
            }

            await Task.Delay(1000);
        }
    }

    private sealed record Effects(int Tasks, int DistinctTaskKeys, int ActionsWithoutTask, List<string> WebhookKeys, long ActionsStartedAgain);

    /// <summary>What the database says was done: runs and actions all succeeded, a task per create_task action.</summary>
    private static async Task<Effects> CheckAsync(string connectionString, Guid scenarioId, WebhookReceiver receiver)
    {
        await using var connection = await OpenAsync(connectionString);
        var notSucceeded = await ScalarAsync(connection,
            $"SELECT string_agg(a.key || ' ' || a.status || ' ' || coalesce(a.error, ''), '; ') FROM automation.action_runs a JOIN automation.runs r ON r.id = a.run_id WHERE r.scenario_id = '{scenarioId}' AND a.status <> 'succeeded'");
        Assert.True(notSucceeded is DBNull, "Actions not succeeded: " + notSucceeded);
        var runsNotSucceeded = await ScalarAsync(connection, $"SELECT string_agg(id || ' ' || status, '; ') FROM automation.runs WHERE scenario_id = '{scenarioId}' AND status <> 'succeeded'");
        Assert.True(runsNotSucceeded is DBNull, "Runs not succeeded: " + runsNotSucceeded);
        var events = (long)(await ScalarAsync(connection, $"SELECT count(DISTINCT event_id) FROM automation.runs WHERE scenario_id = '{scenarioId}'"))!;
        Assert.Equal(StageChanges, events);

        const string TaskActions = "FROM automation.action_runs a JOIN automation.runs r ON r.id = a.run_id WHERE r.scenario_id = @s AND a.kind = 'create_task'";
        await using var tasks = new NpgsqlCommand(
            $"""
            SELECT (SELECT count(*) FROM tasks.tasks t WHERE t.origin_key IN (SELECT a.key {TaskActions})),
                   (SELECT count(DISTINCT t.origin_key) FROM tasks.tasks t WHERE t.origin_key IN (SELECT a.key {TaskActions})),
                   (SELECT count(*) {TaskActions} AND NOT EXISTS (SELECT 1 FROM tasks.tasks t WHERE t.origin_key = a.key))
            """,
            connection);
        tasks.Parameters.AddWithValue("s", scenarioId);
        await using var reader = await tasks.ExecuteReaderAsync();
        await reader.ReadAsync();
        var counts = ((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2));
        await reader.CloseAsync();
        var webhookKeys = await ListStringsAsync(connection, $"SELECT a.key FROM automation.action_runs a JOIN automation.runs r ON r.id = a.run_id WHERE r.scenario_id = '{scenarioId}' AND a.kind = 'webhook'");
        Assert.All(webhookKeys, key => Assert.True(receiver.Deliveries.GetValueOrDefault(key) >= 1, $"The webhook {key} never reached the receiver."));
        // An action claimed more than once: its job was cut by a kill and queued again (by the pump or Hangfire).
        var startedAgain = (long)(await ScalarAsync(connection, $"SELECT count(*) FROM automation.action_runs a JOIN automation.runs r ON r.id = a.run_id WHERE r.scenario_id = '{scenarioId}' AND a.attempts > 1"))!;
        return new Effects(counts.Item1, counts.Item2, counts.Item3, webhookKeys, startedAgain);
    }

    private static async Task<HttpClient> ApiClientAsync(string baseUrl)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(15) };
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = CrmApp.Admin, password = CrmApp.DemoPassword, name = "crash test" });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task<List<Guid>> ListAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<Guid>();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetGuid(0));
        }

        return list;
    }

    private static async Task<List<string>> ListStringsAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<string>();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }
}
