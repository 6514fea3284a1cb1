namespace Crm.Deals.Domain;

/// <summary>A file attached to a deal. The file itself lives on disk under a generated name (see DealFileStore).</summary>
internal sealed class DealAttachment
{
    public Guid Id { get; set; }

    public Guid DealId { get; set; }

    /// <summary>The name the user's file had: shown and used for the download, never for the path on disk.</summary>
    public string FileName { get; set; } = "";

    public string ContentType { get; set; } = "application/octet-stream";

    public long Size { get; set; }

    /// <summary>Relative to the deals' files directory: "2026/11/{id}".</summary>
    public string StoragePath { get; set; } = "";

    public Guid? UploadedBy { get; set; }

    public string UploadedByName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
