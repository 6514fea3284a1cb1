using Bogus;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using NpgsqlTypes;

namespace Crm.Bench.Datasets;

/// <summary>
/// Departments in a tree under the demo company, and users spread over them with the Manager role
/// (small: 20 departments, 500 users; large: 100 departments, 3 000 users: the product is for teams of up
/// to 500 people, and years of leavers stay as deactivated users). Every user gets the same
/// password hash, computed once: hashing is deliberately slow and not what the bench measures.
/// </summary>
internal sealed class IdentityDataset : IBenchDataset
{
    public string Name => "identity (departments, users)";

    public async Task<long> LoadAsync(string connectionString, string size)
    {
        var (departmentCount, userCount) = size == "large" ? (100, 3_000) : (20, 500);
        Randomizer.Seed = new Random(2026);
        var faker = new Faker("ru");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var rootId = (Guid)(await new NpgsqlCommand("SELECT id FROM identity.departments WHERE parent_id IS NULL ORDER BY name LIMIT 1", connection).ExecuteScalarAsync())!;
        var managerRole = (Guid)(await new NpgsqlCommand("SELECT id FROM identity.roles WHERE name = 'Manager'", connection).ExecuteScalarAsync())!;

        var departments = new List<Guid>(departmentCount);
        await using (var writer = await connection.BeginBinaryImportAsync("COPY identity.departments (id, name, parent_id, head_user_id, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < departmentCount; i++)
            {
                var id = Guid.CreateVersion7();
                // A tree: every tenth department is a region under the root, the others sit under a region.
                var parent = i % 10 == 0 || departments.Count == 0 ? rootId : departments[i - i % 10];
                await writer.StartRowAsync();
                await writer.WriteAsync(id, NpgsqlDbType.Uuid);
                await writer.WriteAsync($"{faker.Address.City()} {i}", NpgsqlDbType.Varchar);
                await writer.WriteAsync(parent, NpgsqlDbType.Uuid);
                await writer.WriteNullAsync();
                await writer.WriteAsync(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
                departments.Add(id);
            }

            await writer.CompleteAsync();
        }

        var passwordHash = new PasswordHasher<object>().HashPassword(new object(), "bench-password-2026");
        var userIds = new List<Guid>(userCount);
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY identity.users (id, full_name, department_id, culture, time_zone_id, is_active, profile_version, created_at, " +
            "user_name, normalized_user_name, email, normalized_email, email_confirmed, password_hash, security_stamp, concurrency_stamp, " +
            "phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < userCount; i++)
            {
                var id = Guid.CreateVersion7();
                var email = $"user{i:00000}@bench.local";
                await writer.StartRowAsync();
                await writer.WriteAsync(id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(faker.Name.FullName(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(departments[i % departments.Count], NpgsqlDbType.Uuid);
                await writer.WriteAsync("ru", NpgsqlDbType.Varchar);
                await writer.WriteAsync("Europe/Moscow", NpgsqlDbType.Varchar);
                await writer.WriteAsync(i % 50 != 0, NpgsqlDbType.Boolean);
                await writer.WriteAsync(0, NpgsqlDbType.Integer);
                await writer.WriteAsync(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(email, NpgsqlDbType.Varchar);
                await writer.WriteAsync(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(email, NpgsqlDbType.Varchar);
                await writer.WriteAsync(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(true, NpgsqlDbType.Boolean);
                await writer.WriteAsync(passwordHash, NpgsqlDbType.Text);
                await writer.WriteAsync(Guid.NewGuid().ToString("N"), NpgsqlDbType.Text);
                await writer.WriteAsync(Guid.NewGuid().ToString(), NpgsqlDbType.Text);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(true, NpgsqlDbType.Boolean);
                await writer.WriteAsync(0, NpgsqlDbType.Integer);
                userIds.Add(id);
            }

            await writer.CompleteAsync();
        }

        await using (var writer = await connection.BeginBinaryImportAsync("COPY identity.user_roles (user_id, role_id) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var userId in userIds)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(userId, NpgsqlDbType.Uuid);
                await writer.WriteAsync(managerRole, NpgsqlDbType.Uuid);
            }

            await writer.CompleteAsync();
        }

        return departmentCount + 2L * userCount;
    }
}
