using Crm.Clients.Domain;
using Npgsql;
using NpgsqlTypes;

namespace Crm.Clients.Import;

/// <summary>A column written by binary COPY: its name, its type, and how a row gives its value.</summary>
internal sealed record CopyColumn<T>(string Name, NpgsqlDbType Type, Func<T, object?> Value);

/// <summary>
/// Writes an import batch with binary COPY: new records straight into their table, updated ones into a
/// temporary table and then onto the live rows with one UPDATE … FROM, timeline entries and rejected
/// rows in bulk. No statement per row.
/// </summary>
internal static class ImportWriter
{
    private static readonly CopyColumn<ClientRecord>[] RecordColumns =
    [
        new("id", NpgsqlDbType.Uuid, r => r.Id),
        new("owner_id", NpgsqlDbType.Uuid, r => r.OwnerId),
        new("owner_department_id", NpgsqlDbType.Uuid, r => r.OwnerDepartmentId),
        new("tags", NpgsqlDbType.Array | NpgsqlDbType.Text, r => r.Tags.ToArray()),
        new("created_at", NpgsqlDbType.TimestampTz, r => r.CreatedAt),
        new("updated_at", NpgsqlDbType.TimestampTz, r => r.UpdatedAt),
        new("custom_fields", NpgsqlDbType.Jsonb, r => r.CustomFields),
    ];

    private static readonly CopyColumn<Company>[] CompanyColumns =
    [
        new("name", NpgsqlDbType.Varchar, c => c.Name),
        new("inn", NpgsqlDbType.Varchar, c => c.Inn),
        new("kpp", NpgsqlDbType.Varchar, c => c.Kpp),
        new("ogrn", NpgsqlDbType.Varchar, c => c.Ogrn),
        new("type", NpgsqlDbType.Varchar, c => c.Type.ToString()),
        new("industry", NpgsqlDbType.Varchar, c => c.Industry),
        new("website", NpgsqlDbType.Varchar, c => c.Website),
        new("legal_address", NpgsqlDbType.Varchar, c => c.LegalAddress),
        new("actual_address", NpgsqlDbType.Varchar, c => c.ActualAddress),
        new("phones", NpgsqlDbType.Array | NpgsqlDbType.Text, c => c.Phones.ToArray()),
        new("emails", NpgsqlDbType.Array | NpgsqlDbType.Text, c => c.Emails.ToArray()),
        new("phone_digits", NpgsqlDbType.Text, c => c.PhoneDigits),
        new("emails_text", NpgsqlDbType.Text, c => c.EmailsText),
    ];

    private static readonly CopyColumn<Contact>[] ContactColumns =
    [
        new("full_name", NpgsqlDbType.Varchar, c => c.FullName),
        new("position", NpgsqlDbType.Varchar, c => c.Position),
        new("birthday", NpgsqlDbType.Date, c => c.Birthday),
        new("phones", NpgsqlDbType.Array | NpgsqlDbType.Text, c => c.Phones.ToArray()),
        new("emails", NpgsqlDbType.Array | NpgsqlDbType.Text, c => c.Emails.ToArray()),
        new("phone_digits", NpgsqlDbType.Text, c => c.PhoneDigits),
        new("emails_text", NpgsqlDbType.Text, c => c.EmailsText),
    ];

    private static readonly CopyColumn<Lead>[] LeadColumns =
    [
        new("name", NpgsqlDbType.Varchar, l => l.Name),
        new("company_name", NpgsqlDbType.Varchar, l => l.CompanyName),
        new("phone", NpgsqlDbType.Varchar, l => l.Phone),
        new("email", NpgsqlDbType.Varchar, l => l.Email),
        new("phone_digits", NpgsqlDbType.Text, l => l.PhoneDigits),
        new("source", NpgsqlDbType.Varchar, l => l.Source.ToString()),
        new("status", NpgsqlDbType.Varchar, l => l.Status.ToString()),
    ];

    private static readonly CopyColumn<TimelineEntry>[] TimelineColumns =
    [
        new("id", NpgsqlDbType.Uuid, e => e.Id),
        new("record_kind", NpgsqlDbType.Varchar, e => e.RecordKind.ToString()),
        new("record_id", NpgsqlDbType.Uuid, e => e.RecordId),
        new("kind", NpgsqlDbType.Varchar, e => e.Kind),
        new("subject", NpgsqlDbType.Varchar, e => e.Subject),
        new("text", NpgsqlDbType.Text, e => e.Text),
        new("author_id", NpgsqlDbType.Uuid, e => e.AuthorId),
        new("author_name", NpgsqlDbType.Varchar, e => e.AuthorName),
        new("created_at", NpgsqlDbType.TimestampTz, e => e.CreatedAt),
    ];

    private static readonly CopyColumn<ImportRejection>[] RejectionColumns =
    [
        new("import_id", NpgsqlDbType.Uuid, r => r.ImportId),
        new("row_number", NpgsqlDbType.Integer, r => r.RowNumber),
        new("reason", NpgsqlDbType.Text, r => r.Reason),
        new("cells", NpgsqlDbType.Array | NpgsqlDbType.Text, r => r.Cells.ToArray()),
    ];

    public static string Table(ClientRecord record) => record switch
    {
        Company => "companies",
        Contact => "contacts",
        _ => "leads",
    };

    public static async Task InsertAsync(NpgsqlConnection connection, string table, IReadOnlyList<ClientRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count > 0)
        {
            await CopyAsync(connection, $"clients.{table}", Columns(records[0]), records, cancellationToken);
        }
    }

    /// <summary>The updated records' new values go to a temporary table, then onto the live rows in one statement.</summary>
    public static async Task UpdateAsync(NpgsqlConnection connection, string table, IReadOnlyList<ClientRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var columns = Columns(records[0]);
        var staging = $"import_{table}";
        await ExecuteAsync(connection, $"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE clients.{table}) ON COMMIT DELETE ROWS", cancellationToken);
        await CopyAsync(connection, staging, columns, records, cancellationToken);
        var set = string.Join(", ", columns.Where(c => c.Name is not ("id" or "created_at")).Select(c => $"{c.Name} = s.{c.Name}"));
        await ExecuteAsync(connection, $"UPDATE clients.{table} t SET {set} FROM {staging} s WHERE t.id = s.id", cancellationToken);
    }

    /// <summary>The "lead created" triggers of a batch's new leads, in one statement on the batch's transaction.</summary>
    public static async Task LeadsCreatedAsync(NpgsqlConnection connection, Guid[] leadIds, Guid actorId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (leadIds.Length == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(Outbox.ClientOutbox.InsertLeadsCreatedSql, connection);
        command.Parameters.AddWithValue("ids", leadIds);
        command.Parameters.AddWithValue("actor", actorId);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static Task TimelineAsync(NpgsqlConnection connection, IReadOnlyList<TimelineEntry> entries, CancellationToken cancellationToken) =>
        entries.Count == 0 ? Task.CompletedTask : CopyAsync(connection, "clients.timeline_entries", TimelineColumns, entries, cancellationToken);

    public static Task RejectionsAsync(NpgsqlConnection connection, IReadOnlyList<ImportRejection> rejections, CancellationToken cancellationToken) =>
        rejections.Count == 0 ? Task.CompletedTask : CopyAsync(connection, "clients.import_rejections", RejectionColumns, rejections, cancellationToken);

    private static CopyColumn<ClientRecord>[] Columns(ClientRecord sample) => sample switch
    {
        Company => [.. RecordColumns, .. CompanyColumns.Select(c => new CopyColumn<ClientRecord>(c.Name, c.Type, r => c.Value((Company)r)))],
        Contact => [.. RecordColumns, .. ContactColumns.Select(c => new CopyColumn<ClientRecord>(c.Name, c.Type, r => c.Value((Contact)r)))],
        _ => [.. RecordColumns, .. LeadColumns.Select(c => new CopyColumn<ClientRecord>(c.Name, c.Type, r => c.Value((Lead)r)))],
    };

    private static async Task CopyAsync<T>(NpgsqlConnection connection, string table, IReadOnlyList<CopyColumn<T>> columns, IEnumerable<T> rows, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            foreach (var column in columns)
            {
                if (column.Value(row) is { } value)
                {
                    await writer.WriteAsync(value, column.Type, cancellationToken);
                }
                else
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
