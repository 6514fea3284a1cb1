using Npgsql;
using NpgsqlTypes;

namespace Crm.Bench.Datasets;

/// <summary>
/// Deals (small: 10 000; large: 200 000) over the generated companies, in the two template pipelines
/// every installation starts with. The goods pipeline is the big one: 20 000 open deals in large (1 000
/// in small) spread over its open stages, with stage-entry times over the last 60 days so that some are
/// stalled; the rest are closed (won or lost with a reason) or open in the service pipeline. Every deal
/// has a stage history (one stay per stage it went through, the last one open when the deal is), an
/// amount, a payment form and a delivery, so that the stages' required fields never stop the move
/// scenario. Every 50th deal belongs to the demo manager anna.
/// </summary>
internal sealed class DealsDataset : IBenchDataset
{
    public string Name => "deals (deals, stage history)";

    public async Task<long> LoadAsync(string connectionString, string size)
    {
        var total = size == "large" ? 200_000 : 10_000;
        var bigOpen = size == "large" ? 20_000 : 1_000;
        var servicesOpen = bigOpen / 2;
        var random = new Random(4);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await BenchSql.ExecuteAsync(connection, "SET maintenance_work_mem = '512MB'");
        var owners = await BenchSql.ManagersAsync(connection);
        var anna = owners.Single(o => o.Email == ClientsDataset.DemoManager);
        var managers = owners.Where(o => o.Email != ClientsDataset.DemoManager).ToArray();
        var pipelines = await PipelinesAsync(connection);
        var reasons = await IdsAsync(connection, "SELECT id FROM deals.loss_reasons ORDER BY position");
        var companies = await CompaniesAsync(connection, Math.Min(total, 100_000));
        var indexes = await BenchSql.DropIndexesAsync(connection, "deals", ["deals", "stage_history"]);

        var now = DateTimeOffset.UtcNow;
        var year = now.Year;
        // After the demo deals' numbers: (year, number) is unique.
        var firstNumber = await ScalarAsync(connection, $"SELECT COALESCE(max(number), 0) FROM deals.deals WHERE year = {year}") + 1;
        long historyRows = 0;
        await using (var deals = await connection.BeginBinaryImportAsync(
            "COPY deals.deals (id, year, number, title, pipeline_id, stage_id, stage_entered_at, company_id, company_name, amount, currency, " +
            "owner_id, owner_department_id, payment_form, delivery, source, loss_reason_id, closed_at, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
        await using (var historyConnection = new NpgsqlConnection(connectionString))
        {
            await historyConnection.OpenAsync();
            await using var history = await historyConnection.BeginBinaryImportAsync(
                "COPY deals.stage_history (id, deal_id, pipeline_id, stage_id, entered_at, entered_by, left_at, left_by, channel, forced) FROM STDIN (FORMAT BINARY)");
            for (var i = 0; i < total; i++)
            {
                var (pipeline, status) = i < bigOpen ? (pipelines[0], "open")
                    : i < bigOpen + servicesOpen ? (pipelines[1], "open")
                    : (pipelines[i % 2], i % 3 == 0 ? "lost" : "won");
                var owner = i % 50 == 0 ? anna : managers[i % managers.Length];
                var ordinary = pipeline.Stages.Where(s => s.Kind == "Open" && !s.IsPause).ToList();
                var pause = pipeline.Stages.First(s => s.IsPause);
                var won = pipeline.Stages.First(s => s.Kind == "Won");
                var lost = pipeline.Stages.First(s => s.Kind == "Lost");

                // The stays: ordinary stages up to where the deal stands, then its final stage.
                List<Stage> path;
                Stage current;
                if (status == "open")
                {
                    var reached = i % 17 == 0 ? ordinary.Count : random.Next(ordinary.Count);
                    path = ordinary.Take(Math.Min(reached, ordinary.Count - 1) + 1).ToList();
                    current = reached == ordinary.Count ? pause : path[^1];
                    if (current == pause)
                    {
                        path.Add(pause);
                    }
                }
                else
                {
                    path = ordinary.Take(status == "won" ? ordinary.Count : random.Next(1, ordinary.Count)).ToList();
                    current = status == "won" ? won : lost;
                    path.Add(current);
                }

                var created = now.AddDays(-random.Next(5, 365)).AddMinutes(-random.Next(1440));
                // Time runs from creation to the last entry (within the last 60 days for open deals).
                var lastEntry = status == "open" ? now.AddDays(-random.Next(0, 60)).AddMinutes(-random.Next(1440)) : created.AddDays(random.Next(1, 60));
                if (lastEntry < created)
                {
                    lastEntry = created;
                }

                var step = path.Count > 1 ? (lastEntry - created) / (path.Count - 1) : TimeSpan.Zero;
                var id = Guid.CreateVersion7();
                var amount = Math.Round((decimal)(random.Next(10, 5_000) * 1000 + random.Next(100)), 2);
                var company = companies[i % companies.Count];

                await deals.StartRowAsync();
                await deals.WriteAsync(id, NpgsqlDbType.Uuid);
                await deals.WriteAsync(year, NpgsqlDbType.Integer);
                await deals.WriteAsync(firstNumber + i, NpgsqlDbType.Integer);
                await deals.WriteAsync($"Поставка для {company.Name} №{i}", NpgsqlDbType.Varchar);
                await deals.WriteAsync(pipeline.Id, NpgsqlDbType.Uuid);
                await deals.WriteAsync(current.Id, NpgsqlDbType.Uuid);
                await deals.WriteAsync(lastEntry, NpgsqlDbType.TimestampTz);
                await deals.WriteAsync(company.Id, NpgsqlDbType.Uuid);
                await deals.WriteAsync(company.Name, NpgsqlDbType.Varchar);
                await deals.WriteAsync(amount, NpgsqlDbType.Numeric);
                await deals.WriteAsync("RUB", NpgsqlDbType.Varchar);
                await deals.WriteAsync(owner.Id, NpgsqlDbType.Uuid);
                await deals.WriteAsync(owner.Department, NpgsqlDbType.Uuid);
                await deals.WriteAsync("BankTransfer", NpgsqlDbType.Varchar);
                await deals.WriteAsync("Courier", NpgsqlDbType.Varchar);
                await deals.WriteAsync(i % 4 == 0 ? "Website" : "Call", NpgsqlDbType.Varchar);
                if (status == "lost")
                {
                    await deals.WriteAsync(reasons[i % reasons.Count], NpgsqlDbType.Uuid);
                }
                else
                {
                    await deals.WriteNullAsync();
                }

                if (status == "open")
                {
                    await deals.WriteNullAsync();
                }
                else
                {
                    await deals.WriteAsync(lastEntry, NpgsqlDbType.TimestampTz);
                }

                await deals.WriteAsync(created, NpgsqlDbType.TimestampTz);
                await deals.WriteAsync(lastEntry, NpgsqlDbType.TimestampTz);

                for (var s = 0; s < path.Count; s++)
                {
                    var entered = created + (step * s);
                    var last = s == path.Count - 1;
                    await history.StartRowAsync();
                    await history.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await history.WriteAsync(id, NpgsqlDbType.Uuid);
                    await history.WriteAsync(pipeline.Id, NpgsqlDbType.Uuid);
                    await history.WriteAsync(path[s].Id, NpgsqlDbType.Uuid);
                    await history.WriteAsync(last ? lastEntry : entered, NpgsqlDbType.TimestampTz);
                    await history.WriteAsync(owner.Id, NpgsqlDbType.Uuid);
                    if (last)
                    {
                        await history.WriteNullAsync();
                        await history.WriteNullAsync();
                    }
                    else
                    {
                        await history.WriteAsync(s == path.Count - 2 ? lastEntry : entered + step, NpgsqlDbType.TimestampTz);
                        await history.WriteAsync(owner.Id, NpgsqlDbType.Uuid);
                    }

                    await history.WriteAsync("board", NpgsqlDbType.Varchar);
                    await history.WriteAsync(false, NpgsqlDbType.Boolean);
                    historyRows++;
                }
            }

            await deals.CompleteAsync();
            await history.CompleteAsync();
        }

        await BenchSql.ExecuteAsync(connection, $"INSERT INTO deals.number_counters (year, last) VALUES ({year}, {firstNumber + total}) ON CONFLICT (year) DO UPDATE SET last = GREATEST(number_counters.last, {firstNumber + total})");
        foreach (var definition in indexes)
        {
            await BenchSql.ExecuteAsync(connection, definition, timeoutSeconds: 1800);
        }

        // Months of history loaded at once: in a running CRM the stalled sweep saw these stays as they stalled, one
        // by one. Unmarked, the first sweep would raise ten thousand "stalled" episodes at once (a follow-up task and
        // notifications each) in the middle of whatever the bench measures.
        await BenchSql.ExecuteAsync(connection,
            "UPDATE deals.stage_history h SET stalled_at = now() FROM deals.deals d JOIN deals.stages s ON s.id = d.stage_id " +
            "WHERE h.deal_id = d.id AND h.stage_id = d.stage_id AND h.left_at IS NULL AND s.time_limit_days IS NOT NULL " +
            "AND h.entered_at < now() - make_interval(days => s.time_limit_days)", timeoutSeconds: 1800);

        return total + historyRows;
    }

    internal sealed record Stage(Guid Id, string Kind, bool IsPause, int Position);

    internal sealed record Pipeline(Guid Id, List<Stage> Stages);

    /// <summary>The two template pipelines, goods sale first (the big one).</summary>
    internal static async Task<List<Pipeline>> PipelinesAsync(NpgsqlConnection connection)
    {
        var stages = new List<(Guid Pipeline, Stage Stage)>();
        await using (var command = new NpgsqlCommand(
            "SELECT p.id, s.id, s.kind, s.is_pause, s.position FROM deals.pipelines p JOIN deals.stages s ON s.pipeline_id = p.id ORDER BY p.position, s.position", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stages.Add((reader.GetGuid(0), new Stage(reader.GetGuid(1), reader.GetString(2), reader.GetBoolean(3), reader.GetInt32(4))));
            }
        }

        return stages.GroupBy(s => s.Pipeline).Select(g => new Pipeline(g.Key, g.Select(s => s.Stage).ToList())).ToList();
    }

    internal static async Task<List<(Guid Id, string Name)>> CompaniesAsync(NpgsqlConnection connection, int count)
    {
        var companies = new List<(Guid, string)>(count);
        await using var command = new NpgsqlCommand($"SELECT id, name FROM clients.companies ORDER BY id LIMIT {count}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            companies.Add((reader.GetGuid(0), reader.GetString(1)));
        }

        return companies;
    }

    private static async Task<List<Guid>> IdsAsync(NpgsqlConnection connection, string sql)
    {
        var ids = new List<Guid>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private static async Task<int> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
