using Npgsql;

namespace Crm.Bench.Datasets;

/// <summary>What every dataset loader needs around its COPY: the generated managers, index drop and rebuild, plain statements.</summary>
internal static class BenchSql
{
    /// <summary>The active users with the Manager role (the generated ones and the demo managers).</summary>
    public static async Task<List<(Guid Id, Guid Department, string Email)>> ManagersAsync(NpgsqlConnection connection)
    {
        var owners = new List<(Guid, Guid, string)>();
        await using var command = new NpgsqlCommand(
            "SELECT u.id, u.department_id, u.email FROM identity.users u JOIN identity.user_roles r ON r.user_id = u.id JOIN identity.roles ro ON ro.id = r.role_id " +
            "WHERE ro.name = 'Manager' AND u.is_active", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            owners.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2)));
        }

        return owners;
    }

    /// <summary>
    /// Drops the secondary indexes of the schema's tables and returns their definitions to rebuild them
    /// after the load: an index built once is far cheaper than one maintained row by row.
    /// </summary>
    public static async Task<List<string>> DropIndexesAsync(NpgsqlConnection connection, string schema, string[] tables)
    {
        var definitions = new List<(string Name, string Definition)>();
        await using (var command = new NpgsqlCommand(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = @schema AND i.tablename = ANY(@tables) " +
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", connection))
        {
            command.Parameters.AddWithValue("schema", schema);
            command.Parameters.AddWithValue("tables", tables);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                definitions.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in definitions)
        {
            await ExecuteAsync(connection, $"DROP INDEX {schema}.\"{name}\"");
        }

        return definitions.Select(d => d.Definition).ToList();
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, int timeoutSeconds = 60)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        await command.ExecuteNonQueryAsync();
    }
}
