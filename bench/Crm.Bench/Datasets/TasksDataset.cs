using Npgsql;
using NpgsqlTypes;

namespace Crm.Bench.Datasets;

/// <summary>
/// Tasks (small: 50 000; large: 2 000 000) over the generated managers and companies. The demo head
/// (<c>head@crm.local</c>) gets a department of 20 managers (anna, ivan and 18 generated managers moved
/// into it, their clients and deals following them), each with ~5 000 open tasks in large (1 000 in
/// small) from 60 days ago to 90 days ahead plus done ones: anna's my day and the head's overview are
/// measured on them. The rest are spread over the other managers, a third of them open. Reminders and
/// overdue moments already past are marked as told, so the sweep starts with nothing stale. Secondary
/// indexes are dropped for the COPY and rebuilt after.
/// </summary>
internal sealed class TasksDataset : IBenchDataset
{
    public const string HeadEmail = "head@crm.local";
    public const int DepartmentManagers = 20;

    private static readonly string[] Kinds = ["Call", "Call", "Meeting", "Email", "Todo"];
    private static readonly string[] Titles = ["Позвонить", "Встреча", "Отправить КП", "Подготовить договор", "Уточнить оплату", "Перезвонить"];
    private static readonly string[] Results = ["Договорились о встрече.", "КП отправлено.", "Не дозвонился.", "Счёт оплачен.", "Перенесли на следующую неделю."];

    public string Name => "tasks (tasks over the managers, a head's department of 20)";

    public async Task<long> LoadAsync(string connectionString, string size)
    {
        var total = size == "large" ? 2_000_000 : 50_000;
        var openPerManager = size == "large" ? 5_000 : 1_000;
        var donePerManager = openPerManager / 2;
        var random = new Random(5);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await BenchSql.ExecuteAsync(connection, "SET maintenance_work_mem = '512MB'");
        var (headId, department) = await HeadAsync(connection);
        var owners = await BenchSql.ManagersAsync(connection);
        var team = await DepartmentAsync(connection, owners, department);
        var others = owners.Where(o => o.Department != department).ToArray();
        var companies = await DealsDataset.CompaniesAsync(connection, 100_000);
        var indexes = await BenchSql.DropIndexesAsync(connection, "tasks", ["tasks"]);

        var now = DateTimeOffset.UtcNow;
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY tasks.tasks (id, title, kind, priority, assignee_id, assignee_department_id, author_id, due_at, all_day, duration_minutes, " +
            "reminder_minutes, remind_at, reminded_at, overdue_at, overdue_notified_at, link_kind, link_id, link_name, tags, status, result, " +
            "completed_at, completed_by_id, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < total; i++)
            {
                // The department's managers first, each with its open and done tasks; then everybody else.
                var inTeam = i < team.Count * (openPerManager + donePerManager);
                Guid assignee, assigneeDepartment, author;
                bool open;
                if (inTeam)
                {
                    var member = team[i / (openPerManager + donePerManager)];
                    (assignee, assigneeDepartment) = (member.Id, department);
                    open = i % (openPerManager + donePerManager) < openPerManager;
                    // One in ten set by the head.
                    author = i % 10 == 0 ? headId : member.Id;
                }
                else
                {
                    var other = others[i % others.Length];
                    (assignee, assigneeDepartment, author) = (other.Id, other.Department, other.Id);
                    open = i % 3 == 0;
                }

                // Open: from 60 days ago to 90 days ahead; done: over the last year. Working hours in Moscow (UTC+3).
                var day = open ? random.Next(-60, 91) : random.Next(-365, 1);
                var dueAt = today.AddDays(day).AddHours(6 + random.Next(0, 9)).AddMinutes(random.Next(0, 2) * 30);
                var kind = Kinds[i % Kinds.Length];
                int? reminder = open && i % 3 == 0 ? 15 : null;
                var remindAt = reminder is { } minutes ? dueAt.AddMinutes(-minutes) : (DateTimeOffset?)null;
                var company = companies[i % companies.Count];
                var linked = i % 10 < 7;
                var completedAt = open ? (DateTimeOffset?)null : Earlier(dueAt.AddMinutes(random.Next(-60, 180)), now);
                var createdAt = Earlier(dueAt, now).AddDays(-random.Next(1, 15));

                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await writer.WriteAsync($"{Titles[i % Titles.Length]} {i}", NpgsqlDbType.Varchar);
                await writer.WriteAsync(kind, NpgsqlDbType.Varchar);
                await writer.WriteAsync(i % 7 == 0 ? "High" : "Normal", NpgsqlDbType.Varchar);
                await writer.WriteAsync(assignee, NpgsqlDbType.Uuid);
                await writer.WriteAsync(assigneeDepartment, NpgsqlDbType.Uuid);
                await writer.WriteAsync(author, NpgsqlDbType.Uuid);
                await writer.WriteAsync(dueAt, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await WriteNullableAsync(writer, kind == "Meeting" ? 60 : (int?)null);
                await WriteNullableAsync(writer, reminder);
                await WriteNullableAsync(writer, remindAt);
                await WriteNullableAsync(writer, remindAt <= now ? remindAt : (DateTimeOffset?)null);
                await writer.WriteAsync(dueAt, NpgsqlDbType.TimestampTz);
                await WriteNullableAsync(writer, open && dueAt <= now ? dueAt : (DateTimeOffset?)null);
                await WriteNullableAsync(writer, linked ? "company" : null);
                await WriteNullableAsync(writer, linked ? company.Id : (Guid?)null);
                await WriteNullableAsync(writer, linked ? company.Name : null);
                await writer.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(open ? "Open" : "Done", NpgsqlDbType.Varchar);
                await WriteNullableAsync(writer, open ? null : Results[i % Results.Length]);
                await WriteNullableAsync(writer, completedAt);
                await WriteNullableAsync(writer, open ? (Guid?)null : assignee);
                await writer.WriteAsync(createdAt, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(completedAt ?? createdAt, NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        foreach (var definition in indexes)
        {
            await BenchSql.ExecuteAsync(connection, definition, timeoutSeconds: 1800);
        }

        return total;
    }

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static async Task<(Guid Head, Guid Department)> HeadAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand($"SELECT id, department_id FROM identity.users WHERE normalized_email = '{HeadEmail.ToUpperInvariant()}'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException("The demo head " + HeadEmail + " is missing: the bench runs the app with --seed first.");
        }

        return (reader.GetGuid(0), reader.GetGuid(1));
    }

    /// <summary>
    /// The head's department made 20 managers strong: its own (anna, ivan) plus generated managers moved in,
    /// with the department copies on their records (clients, deals) moved too, as a transfer would.
    /// </summary>
    private static async Task<List<(Guid Id, Guid Department, string Email)>> DepartmentAsync(
        NpgsqlConnection connection, List<(Guid Id, Guid Department, string Email)> owners, Guid department)
    {
        var team = owners.Where(o => o.Department == department).OrderBy(o => o.Email, StringComparer.Ordinal).ToList();
        var moved = owners.Where(o => o.Department != department && o.Email.EndsWith("@bench.local", StringComparison.Ordinal))
            .OrderBy(o => o.Email, StringComparer.Ordinal).Take(Math.Max(0, DepartmentManagers - team.Count)).ToList();
        if (moved.Count > 0)
        {
            var ids = string.Join(",", moved.Select(m => $"'{m.Id}'"));
            await BenchSql.ExecuteAsync(connection, $"UPDATE identity.users SET department_id = '{department}' WHERE id IN ({ids})");
            var tables = new List<string>();
            await using (var command = new NpgsqlCommand(
                "SELECT c.table_schema || '.' || c.table_name FROM information_schema.columns c JOIN information_schema.columns o " +
                "ON o.table_schema = c.table_schema AND o.table_name = c.table_name AND o.column_name = 'owner_id' " +
                "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE' " +
                "WHERE c.column_name = 'owner_department_id'", connection))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables)
            {
                await BenchSql.ExecuteAsync(connection, $"UPDATE {table} SET owner_department_id = '{department}' WHERE owner_id IN ({ids})", timeoutSeconds: 600);
            }
        }

        return [.. team, .. moved.Select(m => (m.Id, department, m.Email))];
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value)
        where T : struct => value is { } v ? writer.WriteAsync(v) : writer.WriteNullAsync();

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value) =>
        value is null ? writer.WriteNullAsync() : writer.WriteAsync(value, NpgsqlDbType.Varchar);
}
