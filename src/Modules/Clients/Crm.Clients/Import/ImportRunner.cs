using System.Globalization;
using Crm.Clients.Access;
using Crm.Clients.Areas.Clients.Features.Shared;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Clients.Integration;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Crm.Clients.Import;

/// <summary>
/// Runs an import (in a Hangfire job, acting as the user who started it). First it reads the whole
/// file once to count the rows, so a file damaged half-way fails before anything is written ("never
/// half a silent import") and the progress bar knows its end. Then it goes through the rows in batches:
/// each row is checked with the form's rules, matched on the chosen key against live records and
/// earlier rows, and imported, updated, skipped or rejected; each batch is written with binary COPY in
/// one transaction together with the progress, so a retried job resumes after the last batch.
/// </summary>
internal sealed class ImportRunner(
    ClientsDbContext db,
    ClientAccess access,
    OwnerChoices ownerChoices,
    AttachmentStore store,
    IStringLocalizer<ClientsStrings> strings,
    TimeProvider clock,
    Audit.ClientAudit audit,
    ClientCustomFields customFields,
    IIntegrationEvents events,
    Outbox.ClientOutbox outbox,
    ILogger<ImportRunner> logger)
{
    public const int BatchSize = 2000;

    private IStringLocalizer L => strings;

    public async Task RunAsync(Guid importId, CancellationToken cancellationToken)
    {
        var import = await db.Imports.SingleOrDefaultAsync(i => i.Id == importId, cancellationToken);
        if (import is null || import.Status is ImportStatus.Done or ImportStatus.Failed or ImportStatus.Mapping)
        {
            return;
        }

        var culture = CultureInfo.GetCultureInfo(import.Culture);
        (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, culture);
        try
        {
            var file = ImportFile.Open(Path.Combine(store.Root, import.StoragePath), import.Format, L);
            if (import.Status == ImportStatus.Queued)
            {
                import.Status = ImportStatus.Running;
                import.StartedAt = clock.GetUtcNow();
                import.Total = CountRows(file, L);
                await db.SaveChangesAsync(cancellationToken);
            }

            // From here on each batch writes the counters with its own statement; the entity only mirrors them.
            db.ChangeTracker.Clear();

            await ImportRowsAsync(import, file, cancellationToken);
            await db.Imports.Where(i => i.Id == import.Id).ExecuteUpdateAsync(
                i => i.SetProperty(x => x.Status, ImportStatus.Done).SetProperty(x => x.FinishedAt, clock.GetUtcNow()), cancellationToken);
            await audit.RecordNowAsync(
                Audit.ClientAudit.Actions.Import, import.Kind, null, import.Total,
                $"{import.FileName}: {import.Imported} imported, {import.Updated} updated, {import.Skipped} skipped, {import.Rejected} rejected ({import.Duplicates.ToString().ToLowerInvariant()} duplicates by {import.Key.ToString().ToLowerInvariant()})",
                cancellationToken);
            logger.LogInformation(
                "Import {ImportId} of {Kind}: {Total} rows, {Imported} imported, {Updated} updated, {Skipped} skipped, {Rejected} rejected",
                import.Id, import.Kind, import.Total, import.Imported, import.Updated, import.Skipped, import.Rejected);
        }
        catch (ImportFileException problem)
        {
            await FailAsync(import, problem.Message, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Never an import that says "running" forever: the user sees where it stopped. What was
            // committed stays (and is counted); a process that died mid-way is resumed by Hangfire instead.
            logger.LogError(error, "Import {ImportId} stopped after {Processed} rows", import.Id, import.Processed);
            await FailAsync(import, L["The import stopped on an unexpected error after {0} rows; those rows are imported. Import the rest again, or tell your administrator.", import.Processed], cancellationToken);
        }
    }

    private static int CountRows(ImportFile file, IStringLocalizer L)
    {
        var count = 0;
        foreach (var row in file.Rows())
        {
            if (++count > ImportFile.MaxRows)
            {
                throw new ImportFileException(L["The file has more than {0} rows: split it into several files.", ImportFile.MaxRows.ToString("N0", CultureInfo.CurrentCulture)]);
            }
        }

        return count;
    }

    private async Task FailAsync(ClientImport import, string message, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await db.Imports.Where(i => i.Id == import.Id).ExecuteUpdateAsync(
            i => i.SetProperty(x => x.Status, ImportStatus.Failed).SetProperty(x => x.Error, message).SetProperty(x => x.FinishedAt, clock.GetUtcNow()),
            cancellationToken);
        await audit.RecordNowAsync(Audit.ClientAudit.Actions.Import, import.Kind, null, 0, $"{import.FileName}: failed: {message}", cancellationToken);
    }

    private async Task ImportRowsAsync(ClientImport import, ImportFile file, CancellationToken cancellationToken)
    {
        var owners = await ownerChoices.ForAsync(await access.FilterAsync(import.Kind, AccessAction.Create, cancellationToken), cancellationToken);
        var context = new BatchContext(
            import,
            await access.FilterAsync(import.Kind, AccessAction.Edit, cancellationToken),
            owners,
            owners.FirstOrDefault(o => o.Id == import.DefaultOwnerId) ?? owners.FirstOrDefault(o => o.Id == import.UserId))
        {
            Custom = await customFields.ForAsync(import.Kind, cancellationToken),
        };
        var batch = new List<ImportRow>(BatchSize);
        var seen = 0;
        foreach (var row in file.Rows())
        {
            // A retried job resumes after the rows its earlier run committed.
            if (++seen <= import.Processed)
            {
                continue;
            }

            batch.Add(row);
            if (batch.Count == BatchSize)
            {
                await WriteBatchAsync(context, batch, cancellationToken);
                batch.Clear();
            }
        }

        await WriteBatchAsync(context, batch, cancellationToken);
    }

    private sealed record BatchContext(ClientImport Import, AccessFilter EditFilter, IReadOnlyList<UserSummary> Owners, UserSummary? DefaultOwner)
    {
        public CustomFields.Contracts.ICustomFieldSet? Custom { get; init; }
    }

    /// <summary>One batch: check and match every row, then write everything in one transaction with the progress.</summary>
    private async Task WriteBatchAsync(BatchContext context, List<ImportRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var import = context.Import;
        var now = clock.GetUtcNow();
        var inserts = new List<ClientRecord>();
        var insertedIds = new HashSet<Guid>();
        var rejections = new List<ImportRejection>();
        var timeline = new List<TimelineEntry>();
        var candidates = new List<(ImportRow Row, ClientRecord Record, Dictionary<string, string> Values)>();
        foreach (var row in rows)
        {
            var values = ImportFields.Values(import.Columns, row.Cells);
            var record = ImportFields.New(import.Kind, Guid.CreateVersion7(), now);
            var errors = new InputErrors();
            var owner = Owner(context, values, errors);
            if (owner is not null)
            {
                record.OwnerId = owner.Id;
                record.OwnerDepartmentId = owner.DepartmentId;
            }

            if (!ImportFields.Apply(record, values, isNew: true, errors, L, now, context.Custom) || owner is null)
            {
                rejections.Add(Reject(import, row, errors));
                continue;
            }

            candidates.Add((row, record, values));
        }

        var existing = import.Duplicates == ImportDuplicates.Create ? [] : await MatchAsync(import, candidates.Select(c => c.Record), cancellationToken);
        var toUpdate = import.Duplicates == ImportDuplicates.Update
            ? await LoadAsync(import.Kind, existing.Values.Distinct().ToArray(), cancellationToken)
            : [];
        // The name before is kept to tell other modules of renames after the commit, without a query per row.
        var updated = new Dictionary<Guid, (ClientRecord Record, Dictionary<string, string?> Before, string NameBefore)>();
        // Keys of the rows imported in this batch: a later row with the same key is its duplicate.
        var batchKeys = new Dictionary<string, ClientRecord>(StringComparer.Ordinal);
        int imported = 0, updatedRows = 0, skipped = 0;
        foreach (var (row, record, values) in candidates)
        {
            var keys = ImportFields.KeyValues(record, import.Key).ToList();
            var match = import.Duplicates == ImportDuplicates.Create ? null
                : keys.Select(k => batchKeys.GetValueOrDefault(k)).FirstOrDefault(r => r is not null)
                  ?? keys.Where(existing.ContainsKey).Select(k => toUpdate.GetValueOrDefault(existing[k]) ?? ImportFields.New(import.Kind, existing[k], now)).FirstOrDefault();
            if (match is null)
            {
                inserts.Add(record);
                insertedIds.Add(record.Id);
                timeline.Add(Entry(import, record, "created", L["Imported from {0}", import.FileName], now));
                foreach (var key in keys)
                {
                    batchKeys.TryAdd(key, record);
                }

                imported++;
                continue;
            }

            if (import.Duplicates == ImportDuplicates.Skip)
            {
                skipped++;
                continue;
            }

            // Update: only records the user may edit; a record imported by this batch is simply amended.
            var isNewInBatch = insertedIds.Contains(match.Id);
            if (!isNewInBatch && (!toUpdate.ContainsKey(match.Id) || !context.EditFilter.Allows(match.OwnerId, match.OwnerDepartmentId)))
            {
                rejections.Add(Reject(import, row, L["A record with this {0} already exists and is not yours to change.", ImportTexts.Key(import.Key, L)]));
                continue;
            }

            if (!isNewInBatch && !updated.ContainsKey(match.Id))
            {
                updated[match.Id] = (match, Snapshot(context, match), match.DisplayName);
            }

            var errors = new InputErrors();
            var owner = values.ContainsKey(ImportFields.OwnerKey) ? Owner(context, values, errors) : null;
            if (!ImportFields.Apply(match, values, isNew: false, errors, L, now, context.Custom))
            {
                rejections.Add(Reject(import, row, errors));
                continue;
            }

            if (owner is not null)
            {
                match.OwnerId = owner.Id;
                match.OwnerDepartmentId = owner.DepartmentId;
            }

            match.UpdatedAt = now;
            updatedRows++;
        }

        foreach (var (record, before, _) in updated.Values)
        {
            if (FieldChanges.Describe(before, Snapshot(context, record)) is { } changes)
            {
                timeline.Add(Entry(import, record, "changed", L["Updated by the import of {0}", import.FileName], now, changes));
            }
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var table = ImportWriter.Table(ImportFields.New(import.Kind, Guid.Empty, now));
            await ImportWriter.InsertAsync(connection, table, inserts, cancellationToken);
            // New leads' "lead created" triggers, with the batch: one statement for the batch, not a row each.
            var newLeads = inserts.OfType<Lead>().Select(l => l.Id).ToArray();
            await ImportWriter.LeadsCreatedAsync(connection, newLeads, import.UserId, now, cancellationToken);
            await ImportWriter.UpdateAsync(connection, table, updated.Values.Select(u => u.Record).ToList(), cancellationToken);
            await ImportWriter.TimelineAsync(connection, timeline, cancellationToken);
            await ImportWriter.RejectionsAsync(connection, rejections, cancellationToken);
            await using (var progress = new NpgsqlCommand(
                "UPDATE clients.imports SET processed = processed + @rows, imported = imported + @imported, updated = updated + @updated, skipped = skipped + @skipped, rejected = rejected + @rejected WHERE id = @id",
                connection, transaction))
            {
                progress.Parameters.AddWithValue("rows", rows.Count);
                progress.Parameters.AddWithValue("imported", imported);
                progress.Parameters.AddWithValue("updated", updatedRows);
                progress.Parameters.AddWithValue("skipped", skipped);
                progress.Parameters.AddWithValue("rejected", rejections.Count);
                progress.Parameters.AddWithValue("id", import.Id);
                await progress.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        if (inserts.Count > 0 && inserts[0] is Lead)
        {
            outbox.Kick();
        }

        import.Processed += rows.Count;
        import.Imported += imported;
        import.Updated += updatedRows;
        import.Skipped += skipped;
        import.Rejected += rejections.Count;

        // One event per committed batch. A crash between the commit and this line loses the batch's renames
        // (the retried job resumes after the batch): acceptable for display copies, see docs/adr/0011.
        await events.PublishRenamesAsync(import.Kind, updated.Values.Select(u => (u.Record, u.NameBefore)), cancellationToken);
    }

    private Dictionary<string, string?> Snapshot(BatchContext context, ClientRecord record) =>
        context.Custom is null ? ImportFields.Snapshot(record, L) : ClientCustomFields.WithCustom(ImportFields.Snapshot(record, L), context.Custom, record);

    private UserSummary? Owner(BatchContext context, IReadOnlyDictionary<string, string> values, InputErrors errors) =>
        ImportFields.Owner(values, context.Owners, context.DefaultOwner, errors, L);

    /// <summary>Live records having any of the batch's key values: key value → record id (one query on the key's index).</summary>
    private async Task<Dictionary<string, Guid>> MatchAsync(ClientImport import, IEnumerable<ClientRecord> records, CancellationToken cancellationToken)
    {
        var keys = records.SelectMany(r => ImportFields.KeyValues(r, import.Key)).Distinct().ToArray();
        var found = new Dictionary<string, Guid>(StringComparer.Ordinal);
        if (keys.Length == 0)
        {
            return found;
        }

        var (table, column, isArray) = (import.Kind, import.Key) switch
        {
            (ClientKind.Company, ImportKey.Inn) => ("companies", "inn", false),
            (ClientKind.Company, ImportKey.Phone) => ("companies", "phones", true),
            (ClientKind.Company, _) => ("companies", "emails", true),
            (ClientKind.Contact, ImportKey.Phone) => ("contacts", "phones", true),
            (ClientKind.Contact, _) => ("contacts", "emails", true),
            (_, ImportKey.Phone) => ("leads", "phone", false),
            _ => ("leads", "email", false),
        };
        // An array column is matched key by key (a nested loop of GIN lookups): "column && all keys" makes
        // the planner expect thousands of rows and scan the table instead (15 s a batch at a million rows).
        var sql = isArray
            ? $"SELECT c.id, k.key FROM unnest(@keys) AS k(key) JOIN clients.{table} c ON c.{column} @> ARRAY[k.key] WHERE c.deleted_at IS NULL ORDER BY c.created_at, c.id"
            : $"SELECT id, {column}::text FROM clients.{table} WHERE deleted_at IS NULL AND {column} = ANY(@keys) ORDER BY created_at, id";
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // The nested loop's estimate is high enough to switch JIT on, whose compiling costs more than the query.
            await using (var noJit = new NpgsqlCommand("SET jit = off", connection))
            {
                await noJit.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("keys", keys);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found.TryAdd(reader.GetString(1), reader.GetGuid(0));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return found;
    }

    private async Task<Dictionary<Guid, ClientRecord>> LoadAsync(ClientKind kind, Guid[] ids, CancellationToken cancellationToken)
    {
        if (ids.Length == 0)
        {
            return [];
        }

        IQueryable<ClientRecord> records = kind switch
        {
            ClientKind.Company => db.Companies.AsNoTracking().Where(r => ids.Contains(r.Id)),
            ClientKind.Contact => db.Contacts.AsNoTracking().Where(r => ids.Contains(r.Id)),
            _ => db.Leads.AsNoTracking().Where(r => ids.Contains(r.Id)),
        };
        return await records.ToDictionaryAsync(r => r.Id, cancellationToken);
    }

    private static ImportRejection Reject(ClientImport import, ImportRow row, InputErrors errors) =>
        Reject(import, row, errors.Summary());

    private static ImportRejection Reject(ClientImport import, ImportRow row, string reason) => new()
    {
        ImportId = import.Id,
        RowNumber = row.Number,
        Reason = reason,
        Cells = [.. row.Cells],
    };

    private static TimelineEntry Entry(ClientImport import, ClientRecord record, string kind, string subject, DateTimeOffset now, string? text = null) => new()
    {
        Id = Guid.CreateVersion7(),
        RecordKind = record.Kind,
        RecordId = record.Id,
        Kind = kind,
        Subject = subject,
        Text = text,
        AuthorId = import.UserId,
        AuthorName = import.UserName,
        CreatedAt = now,
    };
}
