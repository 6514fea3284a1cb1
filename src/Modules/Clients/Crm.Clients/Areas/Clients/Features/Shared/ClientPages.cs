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

    /// <summary>"Not contacted for N days": no note, call, mail or task done for that long.</summary>
    public int? Idle { get; set; }

    /// <summary>A saved segment: its filter replaces the fields above.</summary>
    public Guid? Segment { get; set; }

    public Guid? After { get; set; }

    public string QueryString(Guid? after) =>
        $"?q={Uri.EscapeDataString(Q ?? "")}&owner={Owner}&tag={Uri.EscapeDataString(Tag ?? "")}&idle={Idle}" + (after is null ? "" : $"&after={after}");

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Q) || Owner is not null || !string.IsNullOrWhiteSpace(Tag) || Idle is not null;
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

    public IReadOnlyList<Segment> Segments { get; init; } = [];

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

    /// <summary>The record's filled custom fields, formatted.</summary>
    public IReadOnlyList<Crm.CustomFields.Contracts.CustomFieldDisplay> Custom { get; init; } = [];

    /// <summary>The timeline tab shown: "all", "notes" or "changes".</summary>
    public string Show { get; init; } = "all";

    public string CardUrl => $"/{Path(Kind)}/{Id}";

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

    /// <summary>Apply to every record the list's filter matches (sent below), not only the selected rows.</summary>
    public bool AllMatching { get; set; }

    public string? Q { get; set; }

    public Guid? FilterOwner { get; set; }

    public string? FilterTag { get; set; }

    public int? Idle { get; set; }
}

/// <summary>"Save this filter as a segment": the name, whether colleagues see it, and the list's filter.</summary>
internal sealed class SegmentForm
{
    public string? Name { get; set; }

    public bool Shared { get; set; }

    public string? Q { get; set; }

    public Guid? Owner { get; set; }

    public string? Tag { get; set; }

    public int? Idle { get; set; }

    public string QueryString() => new ClientListQuery { Q = Q, Owner = Owner, Tag = Tag, Idle = Idle }.QueryString(null);
}

internal sealed class NoteForm
{
    [System.ComponentModel.DataAnnotations.Display(Name = "Note")]
    [System.ComponentModel.DataAnnotations.Required(ErrorMessage = "Write the note first.")]
    [System.ComponentModel.DataAnnotations.StringLength(5000, ErrorMessage = "At most {1} characters.")]
    public string Text { get; set; } = "";
}
