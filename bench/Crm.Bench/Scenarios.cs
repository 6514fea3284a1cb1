using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Crm.Bench;

/// <summary>
/// A named HTTP scenario. <see cref="Prepare"/> runs once per worker (sign in, get a token) and returns
/// the worker's client; <see cref="Request"/> is the measured call and must end in the expected status.
/// </summary>
/// <param name="Requests">Overrides --requests for a heavy scenario (an export); likewise <paramref name="Concurrency"/>.</param>
internal sealed record Scenario(
    string Name,
    Func<Task<HttpClient>> Prepare,
    Func<HttpClient, Task<HttpResponseMessage>> Request,
    HttpStatusCode Expected = HttpStatusCode.OK,
    int? Requests = null,
    int? Concurrency = null);

internal static partial class Scenarios
{
    public const string AdminEmail = "admin@crm.local";
    public const string Password = "Crm-demo-2026";

    public const string ManagerEmail = "anna@crm.local";

    /// <summary>Every module adds its scenarios here, next to its dataset in Datasets/.</summary>
    public static async Task<IReadOnlyList<Scenario>> AllAsync(string baseUrl, string connectionString)
    {
        var scenarios = Foundation(baseUrl).ToList();
        scenarios.AddRange(await ClientsAsync(baseUrl, connectionString));
        scenarios.AddRange(await DealsAsync(baseUrl, connectionString));
        scenarios.AddRange(Tasks(baseUrl, connectionString));
        scenarios.AddRange(Automation(baseUrl, connectionString));
        return scenarios;
    }

    private static IEnumerable<Scenario> Foundation(string baseUrl)
    {
        yield return new Scenario("sign-in page", () => Task.FromResult(Client(baseUrl)), c => c.GetAsync("/account/login"));
        yield return new Scenario("/health", () => Task.FromResult(Client(baseUrl)), c => c.GetAsync("/health"));
        yield return new Scenario("start page (signed in)", () => SignedInAsync(baseUrl), c => c.GetAsync("/"));
        yield return new Scenario("users list, first page (admin)", () => SignedInAsync(baseUrl), c => c.GetAsync("/admin/users"));
        yield return new Scenario("users list, filtered by name", () => SignedInAsync(baseUrl), c => c.GetAsync("/admin/users?q=%D0%B8%D0%B2%D0%B0%D0%BD"));
        yield return new Scenario("API GET /api/v1/me (token)", () => TokenClientAsync(baseUrl), c => c.GetAsync("/api/v1/me"));
    }

    /// <summary>
    /// Issue 3's goals: the contacts list at the first page and 10 000 rows deep, for a manager (own
    /// scope) and an admin (everything), and the header search by name, phone fragment and e-mail prefix.
    /// </summary>
    private static async Task<IEnumerable<Scenario>> ClientsAsync(string baseUrl, string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var managerId = await ScalarAsync<Guid>(connection, $"SELECT id FROM identity.users WHERE normalized_email = '{ManagerEmail.ToUpperInvariant()}'");
        // 10 000 rows deep where there are that many (large); half-way down otherwise (small).
        var adminDepth = Math.Min(10_000, await ScalarAsync<long>(connection, "SELECT count(*) FROM clients.contacts WHERE deleted_at IS NULL") / 2);
        var managerDepth = Math.Min(10_000, await ScalarAsync<long>(connection, $"SELECT count(*) FROM clients.contacts WHERE deleted_at IS NULL AND owner_id = '{managerId}'") / 2);
        var adminDeep = await ScalarAsync<Guid>(connection, $"SELECT id FROM clients.contacts WHERE deleted_at IS NULL ORDER BY full_name, id OFFSET {adminDepth} LIMIT 1");
        var managerDeep = await ScalarAsync<Guid>(connection, $"SELECT id FROM clients.contacts WHERE deleted_at IS NULL AND owner_id = '{managerId}' ORDER BY full_name, id OFFSET {managerDepth} LIMIT 1");
        const string NameFragment = "split_part(full_name, ' ', 1) || ' ' || left(split_part(full_name, ' ', 2), 3)";
        var someName = await ScalarAsync<string>(connection, $"SELECT {NameFragment} FROM clients.contacts ORDER BY id OFFSET 777 LIMIT 1");
        var managersName = await ScalarAsync<string>(connection, $"SELECT {NameFragment} FROM clients.contacts WHERE owner_id = '{managerId}' ORDER BY id OFFSET 77 LIMIT 1");
        // A typo: the second letter dropped, so nothing matches literally and the fuzzy pass runs.
        var typo = someName[..1] + someName[2..];
        var manager = () => SignedInAsync(baseUrl, ManagerEmail);
        var admin = () => SignedInAsync(baseUrl, AdminEmail);
        string Search(string q) => "/search/suggest?q=" + Uri.EscapeDataString(q);
        return
        [
            new Scenario("contacts list, first page (manager)", manager, c => c.GetAsync("/contacts")),
            new Scenario($"contacts list, {managerDepth:N0} rows deep (manager)", manager, c => c.GetAsync($"/contacts?after={managerDeep}")),
            new Scenario("contacts list, first page (admin)", admin, c => c.GetAsync("/contacts")),
            new Scenario($"contacts list, {adminDepth:N0} rows deep (admin)", admin, c => c.GetAsync($"/contacts?after={adminDeep}")),
            new Scenario($"search: name '{someName}' (admin)", admin, c => c.GetAsync(Search(someName))),
            new Scenario("search: phone fragment '1234567' (admin)", admin, c => c.GetAsync(Search("1234567"))),
            new Scenario("search: e-mail prefix 'person12345@' (admin)", admin, c => c.GetAsync(Search("person12345@"))),
            new Scenario($"search: typo '{typo}' (admin)", admin, c => c.GetAsync(Search(typo))),
            new Scenario($"search: own client's name '{managersName}' (manager)", manager, c => c.GetAsync(Search(managersName))),
            new Scenario($"search: a colleague's client '{someName}', not found (manager)", manager, c => c.GetAsync(Search(someName))),
            new Scenario("export contacts matching '791610' (100 000 in large) .xlsx (admin)", admin, c => c.GetAsync("/contacts/export?format=xlsx&q=791610"), Requests: 3, Concurrency: 1),
            ImportScenario(baseUrl, await ScalarAsync<long>(connection, "SELECT count(*) FROM clients.contacts")),
        ];
    }

    /// <summary>
    /// Issue 4's goals: the board of the big pipeline (20 000 open deals in large) for an admin and a
    /// manager, a valid move through the API (history and audit written), and the deals list at its
    /// first page and deep.
    /// </summary>
    private static async Task<IEnumerable<Scenario>> DealsAsync(string baseUrl, string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var pipelines = await Datasets.DealsDataset.PipelinesAsync(connection);
        var goods = pipelines[0];
        var ordinary = goods.Stages.Where(s => s.Kind == "Open" && !s.IsPause).ToList();
        var next = ordinary.Zip(ordinary.Skip(1)).ToDictionary(pair => pair.First.Id, pair => pair.Second.Id);
        // Every request moves another deal one stage on, so each move is valid and really writes (the
        // generated deals have what the stages require; some demo deals do not).
        var moves = new System.Collections.Concurrent.ConcurrentQueue<(Guid Deal, Guid Stage)>();
        await using (var command = new Npgsql.NpgsqlCommand(
            $"SELECT id, stage_id FROM deals.deals WHERE pipeline_id = '{goods.Id}' AND deleted_at IS NULL AND closed_at IS NULL AND amount > 0 AND payment_form IS NOT NULL AND delivery IS NOT NULL ORDER BY id", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                if (next.TryGetValue(reader.GetGuid(1), out var to))
                {
                    moves.Enqueue((reader.GetGuid(0), to));
                }
            }
        }

        var managerId = await ScalarAsync<Guid>(connection, $"SELECT id FROM identity.users WHERE normalized_email = '{ManagerEmail.ToUpperInvariant()}'");
        var adminDepth = Math.Min(10_000, await ScalarAsync<long>(connection, "SELECT count(*) FROM deals.deals WHERE deleted_at IS NULL") / 2);
        var managerDepth = Math.Min(10_000, await ScalarAsync<long>(connection, $"SELECT count(*) FROM deals.deals WHERE deleted_at IS NULL AND owner_id = '{managerId}'") / 2);
        async Task<string> DeepCursorAsync(string scope, long depth)
        {
            await using var command = new Npgsql.NpgsqlCommand(
                $"SELECT id, created_at FROM deals.deals WHERE deleted_at IS NULL {scope} ORDER BY created_at DESC, id DESC OFFSET {depth} LIMIT 1", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var row = new Crm.Deals.Domain.Deal { Id = reader.GetGuid(0), CreatedAt = reader.GetFieldValue<DateTimeOffset>(1) };
            return Uri.EscapeDataString(Crm.Deals.Areas.Deals.Features.List.DealSorts.For(Crm.Deals.Areas.Deals.Features.List.DealSorts.Default).CursorAfter(row));
        }

        var adminCursor = await DeepCursorAsync("", adminDepth);
        var managerCursor = await DeepCursorAsync($"AND owner_id = '{managerId}'", managerDepth);
        var manager = () => SignedInAsync(baseUrl, ManagerEmail);
        var admin = () => SignedInAsync(baseUrl, AdminEmail);
        return
        [
            new Scenario("deals list, first page (manager)", manager, c => c.GetAsync("/deals/list")),
            new Scenario($"deals list, {managerDepth:N0} rows deep (manager)", manager, c => c.GetAsync($"/deals/list?cursor={managerCursor}")),
            new Scenario("deals list, first page (admin)", admin, c => c.GetAsync("/deals/list")),
            new Scenario($"deals list, {adminDepth:N0} rows deep (admin)", admin, c => c.GetAsync($"/deals/list?cursor={adminCursor}")),
            new Scenario("deals board, big pipeline (admin)", admin, c => c.GetAsync($"/deals/board/{goods.Id}")),
            new Scenario("deals board, big pipeline (manager)", manager, c => c.GetAsync($"/deals/board/{goods.Id}")),
            new Scenario(
                "deals: move a deal to the next stage, API (admin)",
                () => TokenClientAsync(baseUrl),
                c => moves.TryDequeue(out var move)
                    ? c.PostAsJsonAsync($"/api/v1/deals/{move.Deal}/move", new { stageId = move.Stage })
                    : Task.FromResult(new HttpResponseMessage(HttpStatusCode.Gone)),
                Requests: Math.Min(2000, moves.Count / 2)),
        ];
    }

    /// <summary>
    /// Issue 5's goals: my day for a manager with 5 000 open tasks (anna, large), the department overview
    /// for a head of 20 managers, and the reminder sweep delivering 10 000 reminders due at once.
    /// </summary>
    private static IEnumerable<Scenario> Tasks(string baseUrl, string connectionString)
    {
        yield return new Scenario("tasks: my day (manager, 5 000 open)", () => SignedInAsync(baseUrl, ManagerEmail), c => c.GetAsync("/tasks"));
        yield return new Scenario("tasks: department overview (head, 20 managers)", () => SignedInAsync(baseUrl, Datasets.TasksDataset.HeadEmail), c => c.GetAsync("/tasks/overview"));
        // The lists: a manager's own and a head's department (each part of the scope read from its own index),
        // and an admin's over all 2 000 000 (open tasks first found through the status index).
        yield return new Scenario("tasks list, first page (manager)", () => SignedInAsync(baseUrl, ManagerEmail), c => c.GetAsync("/tasks/list"));
        yield return new Scenario("tasks list, first page (head)", () => SignedInAsync(baseUrl, Datasets.TasksDataset.HeadEmail), c => c.GetAsync("/tasks/list"));
        yield return new Scenario("tasks list, first page (admin)", () => SignedInAsync(baseUrl), c => c.GetAsync("/tasks/list"));
        yield return ReminderSweepScenario(baseUrl, connectionString);
    }

    public const int DueReminders = 10_000;

    /// <summary>
    /// The reminder sweep end to end, as the app runs it (Hangfire's every-minute "tasks:sweep", nothing
    /// triggered from outside): 10 000 open tasks get a reminder due at the next whole minute, as reminders
    /// set in minutes are, and the time from that minute until all 10 000 notifications exist is measured.
    /// Each run takes tasks that had no reminder, so no run finds the previous one's. A notification
    /// twice for a task, or not all within three minutes, is an error.
    /// </summary>
    private static Scenario ReminderSweepScenario(string baseUrl, string connectionString) => new(
        $"tasks: reminder sweep, {DueReminders:N0} due in one minute (time to all delivered)",
        () => Task.FromResult(Client(baseUrl)),
        async _ =>
        {
            await using var connection = new Npgsql.NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var ids = new List<Guid>(DueReminders);
            await using (var command = new Npgsql.NpgsqlCommand(
                $"SELECT id FROM tasks.tasks WHERE status = 'Open' AND deleted_at IS NULL AND (remind_at IS NULL OR remind_at > now() + interval '10 minutes') LIMIT {DueReminders}", connection))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    ids.Add(reader.GetGuid(0));
                }
            }

            if (ids.Count < DueReminders)
            {
                Console.WriteLine($"  reminder sweep: only {ids.Count} open tasks left to set due");
                return new HttpResponseMessage(HttpStatusCode.PreconditionFailed);
            }

            // A reminder as people set it ("15 minutes before 10:00") falls due on a whole minute: the next
            // one at least 5 s away. Measured from that minute to the moment all 10 000 exist.
            var links = ids.Select(id => "/tasks/" + id).ToArray();
            DateTimeOffset dueAt;
            await using (var due = new Npgsql.NpgsqlCommand(
                """
                WITH moment AS (SELECT date_trunc('minute', now() + interval '5 seconds') + interval '1 minute' AS at)
                UPDATE tasks.tasks SET reminder_minutes = 15, remind_at = moment.at, due_at = moment.at + interval '15 minutes', reminded_at = NULL
                FROM moment WHERE id = ANY(@ids)
                RETURNING moment.at
                """, connection))
            {
                due.Parameters.AddWithValue("ids", ids.ToArray());
                // timestamptz reads as a UTC DateTime.
                dueAt = new DateTimeOffset(DateTime.SpecifyKind((DateTime)(await due.ExecuteScalarAsync())!, DateTimeKind.Utc));
            }

            while (DateTimeOffset.UtcNow < dueAt.AddMinutes(3))
            {
                await Task.Delay(250);
                await using var count = new Npgsql.NpgsqlCommand(
                    "SELECT count(*), count(DISTINCT link), min(created_at), max(created_at), clock_timestamp() FROM tasks.notifications WHERE kind = 'task.reminder' AND link = ANY(@links)", connection);
                count.Parameters.AddWithValue("links", links);
                await using var reader = await count.ExecuteReaderAsync();
                await reader.ReadAsync();
                var (delivered, distinct) = (reader.GetInt64(0), reader.GetInt64(1));
                if (delivered != distinct)
                {
                    Console.WriteLine($"  reminder sweep: {delivered - distinct} delivered twice");
                    return new HttpResponseMessage(HttpStatusCode.Conflict);
                }

                if (delivered >= ids.Count)
                {
                    // created_at is the sweep statement's start; the database's clock_timestamp() is when all of them were seen.
                    var (first, seen) = (reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(4));
                    var late = seen - dueAt;
                    Console.WriteLine(
                        $"  reminder sweep: {delivered:N0} delivered, none twice, all within {late.TotalSeconds:0.0} s of their minute {dueAt:HH:mm:ss} " +
                        $"(the minutely run started its statement {(first - dueAt).TotalSeconds:0.0} s after it)");
                    return new HttpResponseMessage(late <= TimeSpan.FromSeconds(60) ? HttpStatusCode.OK : HttpStatusCode.RequestTimeout);
                }
            }

            return new HttpResponseMessage(HttpStatusCode.GatewayTimeout);
        },
        Requests: 1,
        Concurrency: 1);

    public const int ImportRows = 100_000;

    /// <summary>
    /// Issue 3's import goal, end to end: upload a 100 000-row .xlsx of contacts through the API, with
    /// the duplicates check by e-mail (one row in ten repeats an existing contact's e-mail), and wait
    /// for the job to finish. Each run gets its own file so no run finds the previous one's rows.
    /// </summary>
    private static Scenario ImportScenario(string baseUrl, long existingContacts)
    {
        var run = 0;
        return new Scenario(
            $"import {ImportRows:N0} contacts .xlsx, duplicates by e-mail, end to end (admin, API)",
            () => TokenClientAsync(baseUrl),
            async client =>
            {
                var file = ImportWorkbook(Interlocked.Increment(ref run), existingContacts);
                using var form = new MultipartFormDataContent
                {
                    { new StringContent("contacts"), "entity" },
                    { new StringContent("skip"), "duplicates" },
                    { new StringContent("email"), "key" },
                    { new ByteArrayContent(file), "file", "contacts.xlsx" },
                };
                var started = await client.PostAsync("/api/v1/imports", form);
                if (started.StatusCode != HttpStatusCode.Accepted)
                {
                    return started;
                }

                var status = started.Headers.Location!.OriginalString;
                while (true)
                {
                    await Task.Delay(250);
                    var response = await client.GetAsync(status);
                    var state = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString();
                    if (state == "done")
                    {
                        return response;
                    }

                    if (state == "failed")
                    {
                        return new HttpResponseMessage(HttpStatusCode.InternalServerError);
                    }
                }
            },
            Requests: 2,
            Concurrency: 1);
    }

    private static byte[] ImportWorkbook(int run, long existingContacts)
    {
        var random = new Random(run);
        var rows = Enumerable.Range(0, ImportRows).Select(i =>
        {
            var duplicate = i % 10 == 0 && existingContacts > 0;
            var existing = random.NextInt64(existingContacts);
            return new Dictionary<string, object>
            {
                ["ФИО"] = $"Импортов Импорт {run}-{i}",
                ["Должность"] = "Менеджер по закупкам",
                ["Телефон"] = 79_260_000_000L + (run * ImportRows) + i,
                ["E-mail"] = duplicate ? $"person{existing}@mail{existing % 1000}.ru" : $"import{run}-{i}@bench.test",
            };
        });
        using var stream = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(stream, rows);
        return stream.ToArray();
    }

    private static async Task<T> ScalarAsync<T>(Npgsql.NpgsqlConnection connection, string sql)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static HttpClient Client(string baseUrl) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer(), PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri(baseUrl),
        };

    private static async Task<HttpClient> SignedInAsync(string baseUrl, string email = AdminEmail)
    {
        var client = Client(baseUrl);
        var page = await client.GetStringAsync("/account/login");
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException("Bench sign-in failed: " + response.StatusCode);
        }

        return client;
    }

    private static async Task<HttpClient> TokenClientAsync(string baseUrl)
    {
        var client = Client(baseUrl);
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = AdminEmail, password = Password, name = "bench" });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
