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

    /// <summary>Days (yyyy-MM-dd) in the user's time zone, inclusive; read by <see cref="Period"/>.</summary>
    public string? CreatedFrom { get; set; }

    public string? CreatedTo { get; set; }

    public string? UpdatedFrom { get; set; }

    public string? UpdatedTo { get; set; }

    /// <summary>A custom field's key and the value it must have ("cf=segment&amp;cv=Опт").</summary>
    public string? Cf { get; set; }

    public string? Cv { get; set; }

    /// <summary>The jsonb containment <see cref="Cf"/> and <see cref="Cv"/> give, set by the controller; null: no such filter.</summary>
    internal string? CustomJson { get; set; }

    /// <summary>Only these records (a bulk export of the selected rows); set by the controller.</summary>
    internal Guid[]? Ids { get; set; }

    /// <summary>The condition for a standard field ("f:industry"), an expression over the kind's records; set by the controller.</summary>
    internal object? FieldCondition { get; set; }

    /// <summary>A saved segment: its filter replaces the fields above.</summary>
    public Guid? Segment { get; set; }

    /// <summary>"name", "-created"...: see <see cref="Access.ClientSorts"/>; empty means the user's last choice.</summary>
    public string? Sort { get; set; }

    public Guid? After { get; set; }

    /// <summary>The period the four dates give; an unreadable date is left out and named in <paramref name="invalid"/>.</summary>
    public Access.ListPeriod Period(out IReadOnlyList<string> invalid) =>
        Access.ListPeriod.Parse(CreatedFrom, CreatedTo, UpdatedFrom, UpdatedTo, out invalid);

    public string QueryString(Guid? after) => QueryString(after, Sort);

    public string QueryString(Guid? after, string? sort) =>
        $"?q={Uri.EscapeDataString(Q ?? "")}&owner={Owner}&tag={Uri.EscapeDataString(Tag ?? "")}&idle={Idle}"
        + Part("createdFrom", CreatedFrom) + Part("createdTo", CreatedTo) + Part("updatedFrom", UpdatedFrom) + Part("updatedTo", UpdatedTo)
        + Part("cf", Cf) + Part("cv", Cv) + Part("sort", sort) + (after is null ? "" : $"&after={after}");

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Q) || Owner is not null || !string.IsNullOrWhiteSpace(Tag) || Idle is not null
        || !string.IsNullOrWhiteSpace(CreatedFrom) || !string.IsNullOrWhiteSpace(CreatedTo) || !string.IsNullOrWhiteSpace(UpdatedFrom) || !string.IsNullOrWhiteSpace(UpdatedTo)
        || (!string.IsNullOrWhiteSpace(Cf) && !string.IsNullOrWhiteSpace(Cv));

    private static string Part(string name, string? value) => string.IsNullOrWhiteSpace(value) ? "" : $"&{name}={Uri.EscapeDataString(value.Trim())}";
}

/// <summary>A row of a list as the page shows it: the record's id and its cells, in the chosen columns' order.</summary>
internal sealed record ListRow(Guid Id, IReadOnlyList<Microsoft.AspNetCore.Html.IHtmlContent> Cells);

/// <summary>A column's header: its key, heading, the sort its header switches to (none when it does not sort), its responsive class.</summary>
internal sealed record ListHeader(string Key, string Heading, string? Sort, string CssClass);

/// <summary>A column in the chooser: shown or not (the name is always shown and not offered).</summary>
internal sealed record ColumnChoice(string Key, string Heading, bool Shown);

/// <summary>A page of a list: its rows, the cursor of the next page, and a total that stops counting at 10 000.</summary>
internal sealed record ListPage(
    ClientKind Kind,
    ClientListQuery Query,
    IReadOnlyList<ListHeader> Headers,
    IReadOnlyList<ListRow> Rows,
    Guid? NextAfter,
    long Total,
    IReadOnlyList<UserSummary> OwnerChoices,
    bool CanCreate)
{
    public const int TotalCap = 10_000;

    public IReadOnlyList<Segment> Segments { get; init; } = [];

    public IReadOnlyList<ColumnChoice> Choices { get; init; } = [];

    /// <summary>The fields the list's "equals" filter offers: standard ones ("f:…"), then custom ones.</summary>
    public IReadOnlyList<(string Key, string Label)> FilterFields { get; init; } = [];

    /// <summary>Why the custom field filter's value does not fit its field, if it does not.</summary>
    public string? CustomFilterError { get; init; }

    /// <summary>The querystring names of the period dates that could not be read.</summary>
    public IReadOnlyList<string> InvalidDates { get; init; } = [];

    /// <summary>The chooser stays open after a change made in it.</summary>
    public bool ChooserOpen { get; init; }

    public string Path => "/" + CardContext.Path(Kind);

    /// <summary>The sort a click on the header gives: the other direction when it is the current key, else ascending for names and newest first for times.</summary>
    public string SortFor(string key) =>
        Query.Sort == key ? "-" + key : Query.Sort == "-" + key ? key : key == "name" ? key : "-" + key;

    /// <summary>aria-sort of a header: "ascending", "descending" or none.</summary>
    public string? AriaSort(string key) => Query.Sort == key ? "ascending" : Query.Sort == "-" + key ? "descending" : null;
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

    /// <summary>The active users, whose mentions ("@Иван Смирнов") the timeline marks.</summary>
    public IReadOnlyList<UserSummary> People { get; init; } = [];

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

    public string? CreatedFrom { get; set; }

    public string? CreatedTo { get; set; }

    public string? UpdatedFrom { get; set; }

    public string? UpdatedTo { get; set; }

    public string? Cf { get; set; }

    public string? Cv { get; set; }

    public ClientListQuery Query() => new()
    {
        Q = Q, Owner = FilterOwner, Tag = FilterTag, Idle = Idle, CreatedFrom = CreatedFrom, CreatedTo = CreatedTo, UpdatedFrom = UpdatedFrom, UpdatedTo = UpdatedTo,
        Cf = Cf, Cv = Cv,
    };
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

    public string? CreatedFrom { get; set; }

    public string? CreatedTo { get; set; }

    public string? UpdatedFrom { get; set; }

    public string? UpdatedTo { get; set; }

    public string? Cf { get; set; }

    public string? Cv { get; set; }

    public ClientListQuery Query() => new()
    {
        Q = Q, Owner = Owner, Tag = Tag, Idle = Idle, CreatedFrom = CreatedFrom, CreatedTo = CreatedTo, UpdatedFrom = UpdatedFrom, UpdatedTo = UpdatedTo,
        Cf = Cf, Cv = Cv,
    };

    public string QueryString() => Query().QueryString(null);
}

/// <summary>The column chooser's form: the checked columns in their order, and a move ("inn:up", "inn:down") or "reset".</summary>
internal sealed class ColumnsForm
{
    public List<string> Columns { get; set; } = [];

    public string? Move { get; set; }

    /// <summary>The list's querystring, to come back to the same filter.</summary>
    public string? Return { get; set; }
}

internal sealed class NoteForm
{
    [System.ComponentModel.DataAnnotations.Display(Name = "Note")]
    [System.ComponentModel.DataAnnotations.Required(ErrorMessage = "Write the note first.")]
    [System.ComponentModel.DataAnnotations.StringLength(5000, ErrorMessage = "At most {1} characters.")]
    public string Text { get; set; } = "";
}
