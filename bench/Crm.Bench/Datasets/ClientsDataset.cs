using System.Globalization;
using Bogus;
using Npgsql;
using NpgsqlTypes;

namespace Crm.Bench.Datasets;

/// <summary>
/// Companies and contacts (small: 20 000 each; large: 1 000 000 each), each contact linked to a
/// company, owned by the generated managers and, for every 50th record, by the demo manager anna, so
/// that her own-scope lists are 10 000+ rows deep. Indexes are dropped for the load and rebuilt after:
/// building a GIN trigram index once is far cheaper than maintaining it row by row.
/// </summary>
internal sealed class ClientsDataset : IBenchDataset
{
    public const string DemoManager = "anna@crm.local";

    private static readonly string[] Vip = ["VIP"];

    public string Name => "clients (companies, contacts, links)";

    public async Task<long> LoadAsync(string connectionString, string size)
    {
        var count = size == "large" ? 1_000_000 : 20_000;
        Randomizer.Seed = new Random(3);
        var faker = new Faker("ru");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await BenchSql.ExecuteAsync(connection, "SET maintenance_work_mem = '512MB'");
        var owners = await BenchSql.ManagersAsync(connection);
        var anna = owners.Single(o => o.Email == DemoManager);
        var managers = owners.Where(o => o.Email != DemoManager).ToArray();
        (Guid Id, Guid Department) Owner(int i) => i % 50 == 0 ? (anna.Id, anna.Department) : (managers[i % managers.Length].Id, managers[i % managers.Length].Department);

        var indexes = await BenchSql.DropIndexesAsync(connection, "clients", ["companies", "contacts", "contact_companies"]);
        var now = DateTimeOffset.UtcNow;
        var surnames = Enumerable.Range(0, 2000).Select(_ => faker.Name.LastName()).ToArray();
        var words = Enumerable.Range(0, 500).Select(_ => faker.Commerce.ProductAdjective()).ToArray();
        var companyIds = new Guid[count];

        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY clients.companies (id, name, inn, type, industry, phones, emails, phone_digits, emails_text, owner_id, owner_department_id, tags, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                var id = Guid.CreateVersion7();
                companyIds[i] = id;
                var (ownerId, department) = Owner(i);
                var phone = $"+7495{1_000_000 + i % 9_000_000:0000000}";
                var email = $"info{i}@company{i}.ru";
                await writer.StartRowAsync();
                await writer.WriteAsync(id, NpgsqlDbType.Uuid);
                await writer.WriteAsync($"ООО «{surnames[i % surnames.Length]} {words[i / surnames.Length % words.Length]} {i}»", NpgsqlDbType.Varchar);
                await writer.WriteAsync(Inn(i), NpgsqlDbType.Varchar);
                await writer.WriteAsync("Client", NpgsqlDbType.Varchar);
                await writer.WriteAsync("Торговля", NpgsqlDbType.Varchar);
                await writer.WriteAsync(new[] { phone }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(new[] { email }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(phone[1..], NpgsqlDbType.Text);
                await writer.WriteAsync(email, NpgsqlDbType.Text);
                await writer.WriteAsync(ownerId, NpgsqlDbType.Uuid);
                await writer.WriteAsync(department, NpgsqlDbType.Uuid);
                await writer.WriteAsync(i % 20 == 0 ? Vip : Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        var firstNames = Enumerable.Range(0, 300).Select(_ => faker.Name.FirstName()).ToArray();
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY clients.contacts (id, full_name, position, phones, emails, phone_digits, emails_text, owner_id, owner_department_id, tags, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
        await using (var links = new NpgsqlConnection(connectionString))
        {
            await links.OpenAsync();
            await using var linkWriter = await links.BeginBinaryImportAsync("COPY clients.contact_companies (contact_id, company_id, role) FROM STDIN (FORMAT BINARY)");
            for (var i = 0; i < count; i++)
            {
                var id = Guid.CreateVersion7();
                var (ownerId, department) = Owner(i);
                var phone = $"+7916{1_000_000 + i % 9_000_000:0000000}";
                var email = $"person{i}@mail{i % 1000}.ru";
                await writer.StartRowAsync();
                await writer.WriteAsync(id, NpgsqlDbType.Uuid);
                await writer.WriteAsync($"{surnames[(i * 7) % surnames.Length]} {firstNames[i % firstNames.Length]} {i}", NpgsqlDbType.Varchar);
                await writer.WriteAsync("Менеджер по закупкам", NpgsqlDbType.Varchar);
                await writer.WriteAsync(new[] { phone }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(new[] { email }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(phone[1..], NpgsqlDbType.Text);
                await writer.WriteAsync(email, NpgsqlDbType.Text);
                await writer.WriteAsync(ownerId, NpgsqlDbType.Uuid);
                await writer.WriteAsync(department, NpgsqlDbType.Uuid);
                await writer.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);

                await linkWriter.StartRowAsync();
                await linkWriter.WriteAsync(id, NpgsqlDbType.Uuid);
                await linkWriter.WriteAsync(companyIds[i], NpgsqlDbType.Uuid);
                await linkWriter.WriteAsync("Закупщик", NpgsqlDbType.Varchar);
            }

            await writer.CompleteAsync();
            await linkWriter.CompleteAsync();
        }

        foreach (var definition in indexes)
        {
            await BenchSql.ExecuteAsync(connection, definition, timeoutSeconds: 1800);
        }

        return 3L * count;
    }

    /// <summary>A valid 10-digit INN per row, unique: the row number in the first nine digits.</summary>
    public static string Inn(int i) => Crm.Clients.Domain.Requisites.CompleteInn10((100_000_000 + i).ToString(CultureInfo.InvariantCulture));
}
