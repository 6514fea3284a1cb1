using Crm.Clients.Contracts;
using Crm.Clients.Domain;
using Crm.Identity.Contracts;

namespace Crm.Clients.Areas.Clients.Features.Shared;

/// <summary>List filters every client list understands; <see cref="After"/> is the keyset cursor (the last row's id).</summary>
internal sealed class ClientListQuery
{
    public string? Q { get; set; }

    public Guid? Owner { get; set; }

    public string? Tag { get; set; }

    public Guid? After { get; set; }

    public string QueryString(Guid? after) =>
        $"?q={Uri.EscapeDataString(Q ?? "")}&owner={Owner}&tag={Uri.EscapeDataString(Tag ?? "")}" + (after is null ? "" : $"&after={after}");

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Q) || Owner is not null || !string.IsNullOrWhiteSpace(Tag);
}

/// <summary>What every list row has: the record and its responsible user.</summary>
internal interface IListRow
{
    Guid Id { get; }

    Guid OwnerId { get; }
}

/// <summary>A page of a list: its rows, the cursor of the next page, and a total that stops counting at 10 000.</summary>
internal sealed record ListPage<TRow>(
    ClientListQuery Query,
    IReadOnlyList<TRow> Rows,
    Guid? NextAfter,
    long Total,
    IReadOnlyDictionary<Guid, UserSummary> Owners,
    IReadOnlyList<UserSummary> OwnerChoices,
    bool CanCreate)
{
    public const int TotalCap = 10_000;

    public string OwnerName(Guid id) => Owners.TryGetValue(id, out var owner) ? owner.FullName : "—";
}

internal sealed record AttachmentItem(Guid Id, string FileName, long Size, string UploadedByName, DateTimeOffset CreatedAt);

internal sealed record TimelineItem(string Kind, string Subject, string? Text, string? AuthorName, DateTimeOffset CreatedAt, string? Link);

/// <summary>What every card shows besides its own fields: owner, rights, timeline.</summary>
internal sealed record CardContext(
    ClientKind Kind,
    Guid Id,
    string OwnerName,
    bool CanEdit,
    bool CanDelete,
    IReadOnlyList<TimelineItem> Timeline,
    IReadOnlyList<AttachmentItem> Attachments,
    TimeZoneInfo TimeZone)
{
    public string FilesUrl => $"/{Path(Kind)}/{Id}/attachments";

    /// <summary>"1.2 MB": a size as people read it.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / 1024.0 / 1024.0:0.#} MB",
    };

    public string Local(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, TimeZone).ToString("g", System.Globalization.CultureInfo.CurrentCulture);

    public string NotesUrl => $"/{Path(Kind)}/{Id}/notes";

    public static string Path(ClientKind kind) => kind switch
    {
        ClientKind.Lead => "leads",
        ClientKind.Company => "companies",
        _ => "contacts",
    };
}

/// <summary>A bulk action: "reassign" (with <see cref="OwnerId"/>), "tag" or "untag" (with <see cref="Tag"/>), "delete".</summary>
internal sealed class BulkForm
{
    public List<Guid> Ids { get; set; } = [];

    public string? Action { get; set; }

    public Guid? OwnerId { get; set; }

    public string? Tag { get; set; }
}

internal sealed class NoteForm
{
    [System.ComponentModel.DataAnnotations.Display(Name = "Note")]
    [System.ComponentModel.DataAnnotations.Required(ErrorMessage = "Write the note first.")]
    [System.ComponentModel.DataAnnotations.StringLength(5000, ErrorMessage = "At most {1} characters.")]
    public string Text { get; set; } = "";
}
