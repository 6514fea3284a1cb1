using Crm.Clients.Contracts;

namespace Crm.Clients.Import;

internal enum ImportStatus
{
    /// <summary>Uploaded and read; waiting for the user to map the columns and start.</summary>
    Mapping,
    Queued,
    Running,
    Done,
    Failed,
}

/// <summary>What to do with a row whose key (e-mail, phone, INN) a live record already has.</summary>
internal enum ImportDuplicates
{
    Skip,
    Update,
    Create,
}

internal enum ImportKey
{
    Email,
    Phone,
    Inn,
}

/// <summary>A column of the file and the field it fills (null: not imported).</summary>
internal sealed record ImportColumn(int Index, string Header, string? Field);

/// <summary>
/// One import of a file into leads, companies or contacts: the stored file, the mapping, and the
/// progress. The counts always add up: every data row is imported, updated, skipped as a duplicate,
/// or rejected (with its reason kept in <see cref="ImportRejection"/>).
/// </summary>
internal sealed class ClientImport
{
    public Guid Id { get; set; }

    public ClientKind Kind { get; set; }

    public Guid UserId { get; set; }

    public string UserName { get; set; } = "";

    /// <summary>The user's language when the import was started: rejection reasons are written in it.</summary>
    public string Culture { get; set; } = "ru";

    public string FileName { get; set; } = "";

    public ImportFormat Format { get; set; }

    /// <summary>Relative to the files directory.</summary>
    public string StoragePath { get; set; } = "";

    public long FileSize { get; set; }

    public ImportStatus Status { get; set; }

    public ImportDuplicates Duplicates { get; set; } = ImportDuplicates.Skip;

    public ImportKey Key { get; set; } = ImportKey.Email;

    /// <summary>Owner of rows with no "responsible" column value.</summary>
    public Guid? DefaultOwnerId { get; set; }

    public List<ImportColumn> Columns { get; set; } = [];

    /// <summary>Data rows in the file (known once the job has read it through).</summary>
    public int Total { get; set; }

    /// <summary>Data rows done so far: a job that is retried resumes after them.</summary>
    public int Processed { get; set; }

    public int Imported { get; set; }

    public int Updated { get; set; }

    public int Skipped { get; set; }

    public int Rejected { get; set; }

    /// <summary>Why the whole import failed (a message key with its text already in the user's language).</summary>
    public string? Error { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public int Percent => Total == 0 ? (Status == ImportStatus.Done ? 100 : 0) : (int)(100L * Processed / Total);
}

/// <summary>A rejected row: its number in the file, why, and its cells as they were, for the rejected-rows workbook.</summary>
internal sealed class ImportRejection
{
    public Guid ImportId { get; set; }

    public int RowNumber { get; set; }

    public string Reason { get; set; } = "";

    public List<string?> Cells { get; set; } = [];
}
