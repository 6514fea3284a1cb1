using System.Globalization;
using Crm.Clients.Access;
using Crm.Clients.Areas.Clients.Features.Shared;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Clients.Jobs;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Import;

/// <summary>A row of the preview: its cells and what the form's rules say about it (null: fine).</summary>
internal sealed record PreviewRow(int Number, string?[] Cells, string? Problem);

/// <summary>
/// The steps of an import that the pages and the API share: storing and checking the upload, the
/// column mapping (remembered per user), the preview, and starting the job. The import itself runs in
/// <see cref="ImportRunner"/>.
/// </summary>
internal sealed class ImportService(
    ClientsDbContext db,
    ClientAccess access,
    OwnerChoices ownerChoices,
    AttachmentStore store,
    ICurrentUser currentUser,
    IBackgroundJobClient jobs,
    IStringLocalizer<ClientsStrings> strings,
    ClientCustomFields customFields,
    TimeProvider clock)
{
    public const int PreviewRows = 20;

    private IStringLocalizer L => strings;

    public async Task<bool> MayImportAsync(ClientKind kind, CancellationToken cancellationToken) =>
        (await access.FilterAsync(kind, AccessAction.Import, cancellationToken)).Scope != AccessScope.None
        && (await access.FilterAsync(kind, AccessAction.Create, cancellationToken)).Scope != AccessScope.None;

    /// <summary>Stores the upload and reads its header. Returns the import, or the message for the user (nothing is kept then).</summary>
    public async Task<(ClientImport? Import, string? Error)> UploadAsync(Stream content, string fileName, long length, ClientKind kind, CancellationToken cancellationToken)
    {
        if (ImportFile.FormatOf(fileName) is not { } format)
        {
            return (null, L["Upload an .xlsx or .csv file."]);
        }

        if (length > ImportFile.MaxBytes)
        {
            return (null, L["The file is larger than {0} MB.", ImportFile.MaxBytes / 1024 / 1024]);
        }

        var import = new ClientImport
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            UserId = currentUser.Id,
            UserName = currentUser.DisplayName,
            Culture = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : "ru",
            FileName = Path.GetFileName(fileName).Trim() is { Length: > 0 } name ? name[..Math.Min(name.Length, 255)] : "import",
            Format = format,
            FileSize = length,
            Status = ImportStatus.Mapping,
            Key = kind == ClientKind.Company ? ImportKey.Inn : ImportKey.Email,
            CreatedAt = clock.GetUtcNow(),
        };
        import.StoragePath = await store.SaveAsync(import.Id, content, import.CreatedAt, cancellationToken);
        ImportFile file;
        try
        {
            file = ImportFile.Open(PathOf(import), format, L);
        }
        catch (ImportFileException problem)
        {
            store.Delete(import.StoragePath);
            return (null, problem.Message);
        }

        import.Columns = ImportFields.AutoMap(await FieldsAsync(kind, cancellationToken), file.Headers, await RememberedAsync(kind, cancellationToken), LabelsInBothLanguages);
        import.DefaultOwnerId = currentUser.Id;
        db.Imports.Add(import);
        await db.SaveChangesAsync(cancellationToken);
        return (import, null);
    }

    /// <summary>The user's own import (an admin's: anyone's); anything else is not found.</summary>
    public Task<ClientImport?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var me = currentUser.Id;
        var admin = currentUser.IsInRole(BuiltInRoles.Admin);
        return db.Imports.SingleOrDefaultAsync(i => i.Id == id && (i.UserId == me || admin), cancellationToken);
    }

    public Task<IReadOnlyList<UserSummary>> OwnersAsync(ClientKind kind, CancellationToken cancellationToken) =>
        OwnersCoreAsync(kind, cancellationToken);

    /// <summary>
    /// Checks the mapping and the options; on success stores them, remembers the mapping and queues the
    /// job. Errors are keyed "Fields", "Key", "DefaultOwnerId".
    /// </summary>
    public async Task<InputErrors> StartAsync(ClientImport import, IReadOnlyList<string?> fields, ImportDuplicates duplicates, ImportKey key, Guid? defaultOwnerId, CancellationToken cancellationToken)
    {
        var errors = await ApplyAsync(import, fields, duplicates, key, cancellationToken);
        var owners = await OwnersCoreAsync(import.Kind, cancellationToken);
        if (owners.All(o => o.Id != defaultOwnerId))
        {
            errors.Add("DefaultOwnerId", L["Choose a responsible user from the list."]);
        }

        if (!errors.IsEmpty || import.Status != ImportStatus.Mapping)
        {
            return errors;
        }

        import.DefaultOwnerId = defaultOwnerId;
        import.Status = ImportStatus.Queued;
        await db.SaveChangesAsync(cancellationToken);
        ImportJob.Enqueue(jobs, import.Id);
        return errors;
    }

    /// <summary>Sets the mapping and options on the import (not saved), with what is wrong with them.</summary>
    public async Task<InputErrors> ApplyAsync(ClientImport import, IReadOnlyList<string?> fields, ImportDuplicates duplicates, ImportKey key, CancellationToken cancellationToken)
    {
        var errors = new InputErrors();
        var known = await FieldsAsync(import.Kind, cancellationToken);
        import.Columns = import.Columns
            .Select(c => c with { Field = c.Index < fields.Count && known.Any(f => f.Key == fields[c.Index]) ? fields[c.Index] : null })
            .ToList();
        import.Duplicates = duplicates;
        import.Key = ImportFields.Keys(import.Kind).Contains(key) ? key : ImportFields.Keys(import.Kind)[0];
        var required = known[0];
        if (import.Columns.All(c => c.Field != required.Key))
        {
            errors.Add("Fields", L["Choose the column with the field “{0}”: a record cannot be created without it.", L[required.Label]]);
        }

        foreach (var twice in import.Columns.Where(c => c.Field is not null).GroupBy(c => c.Field).Where(g => g.Count() > 1 && !known.First(f => f.Key == g.Key).IsList))
        {
            errors.Add("Fields", L["The field “{0}” is chosen for more than one column.", known.First(f => f.Key == twice.Key) is { IsCustom: true } custom ? custom.Label : L[known.First(f => f.Key == twice.Key).Label]]);
        }

        var keyField = import.Key switch { ImportKey.Inn => "inn", ImportKey.Phone => import.Kind == ClientKind.Lead ? "phone" : "phones", _ => import.Kind == ClientKind.Lead ? "email" : "emails" };
        if (duplicates != ImportDuplicates.Create && import.Columns.All(c => c.Field != keyField))
        {
            errors.Add("Key", L["Duplicates are found by a field no column is mapped to: map it or choose another key."]);
        }

        return errors;
    }

    /// <summary>The first rows with the mapping applied and checked by the form's rules.</summary>
    public async Task<IReadOnlyList<PreviewRow>> PreviewAsync(ClientImport import, CancellationToken cancellationToken)
    {
        var file = ImportFile.Open(PathOf(import), import.Format, L);
        var owners = await OwnersCoreAsync(import.Kind, cancellationToken);
        var defaultOwner = owners.FirstOrDefault(o => o.Id == import.DefaultOwnerId);
        var custom = await customFields.ForAsync(import.Kind, cancellationToken);
        var now = clock.GetUtcNow();
        var preview = new List<PreviewRow>();
        foreach (var row in file.Rows().Take(PreviewRows))
        {
            var values = ImportFields.Values(import.Columns, row.Cells);
            var errors = new InputErrors();
            var record = ImportFields.New(import.Kind, Guid.Empty, now);
            ImportFields.Owner(values, owners, defaultOwner, errors, L);
            ImportFields.Apply(record, values, isNew: true, errors, L, now, custom);
            preview.Add(new PreviewRow(row.Number, row.Cells, errors.IsEmpty ? null : errors.Summary()));
        }

        return preview;
    }

    /// <summary>The fields a column can fill: the kind's own and its custom fields.</summary>
    public async Task<IReadOnlyList<ImportField>> FieldsAsync(ClientKind kind, CancellationToken cancellationToken) =>
        ImportFields.For(kind, await customFields.ForAsync(kind, cancellationToken));

    public string PathOf(ClientImport import) => Path.Combine(store.Root, import.StoragePath);

    /// <summary>A field's name as the forms show it, in English and in Russian: both match a heading.</summary>
    public IReadOnlyList<string> LabelsInBothLanguages(string label)
    {
        var current = CultureInfo.CurrentUICulture;
        try
        {
            var labels = new List<string>();
            foreach (var culture in new[] { "en", "ru" })
            {
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
                labels.Add(L[label]);
            }

            return labels;
        }
        finally
        {
            CultureInfo.CurrentUICulture = current;
        }
    }

    /// <summary>The user's latest mapping for this kind: heading → field.</summary>
    private async Task<IReadOnlyDictionary<string, string>> RememberedAsync(ClientKind kind, CancellationToken cancellationToken)
    {
        var me = currentUser.Id;
        var last = await db.Imports.AsNoTracking()
            .Where(i => i.UserId == me && i.Kind == kind && i.Status != ImportStatus.Mapping)
            .OrderByDescending(i => i.CreatedAt)
            .Select(i => i.Columns)
            .FirstOrDefaultAsync(cancellationToken);
        var remembered = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in last ?? [])
        {
            if (column.Field is not null)
            {
                remembered.TryAdd(ImportFields.Normalize(column.Header), column.Field);
            }
        }

        return remembered;
    }

    private async Task<IReadOnlyList<UserSummary>> OwnersCoreAsync(ClientKind kind, CancellationToken cancellationToken) =>
        await ownerChoices.ForAsync(await access.FilterAsync(kind, AccessAction.Create, cancellationToken), cancellationToken);
}
