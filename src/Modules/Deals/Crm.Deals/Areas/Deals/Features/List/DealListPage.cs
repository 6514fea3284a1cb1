using Crm.Deals.Domain;
using Crm.Identity.Contracts;
using Microsoft.AspNetCore.Html;

namespace Crm.Deals.Areas.Deals.Features.List;

internal sealed record DealListRow(Guid Id, bool Stalled, IReadOnlyList<IHtmlContent> Cells);

internal sealed record DealListHeader(string Key, string Heading, string? Sort, string CssClass);

internal sealed record DealColumnChoice(string Key, string Heading, bool Shown);

/// <summary>A page of the deals list: its rows, the cursor of the next page, the filter's choices and the column chooser.</summary>
internal sealed record DealListPage(
    DealListQuery Query,
    IReadOnlyList<DealListHeader> Headers,
    IReadOnlyList<DealListRow> Rows,
    string? NextCursor,
    IReadOnlyList<Pipeline> Pipelines,
    IReadOnlyList<UserSummary> OwnerChoices,
    IReadOnlyList<UserSummary> ReassignChoices,
    IReadOnlyList<DepartmentSummary> Departments,
    IReadOnlyList<Crm.CustomFields.Contracts.CustomFieldDefinition> CustomFields,
    IReadOnlyDictionary<string, string> Errors,
    bool CanCreate,
    bool CanExport)
{
    public const string Path = "/deals/list";

    public IReadOnlyList<DealColumnChoice> Choices { get; init; } = [];

    public bool ChooserOpen { get; init; }

    /// <summary>The sort a click on the header gives: the other direction when it is the current key, else A→Z for titles and the largest/newest first for the rest.</summary>
    public string SortFor(string key) =>
        Query.Sort == key ? "-" + key : Query.Sort == "-" + key ? key : key is "title" or "expectedClose" ? key : "-" + key;

    public string? AriaSort(string key) => Query.Sort == key ? "ascending" : Query.Sort == "-" + key ? "descending" : null;
}

/// <summary>The column chooser's form: the checked columns in their order, and a move ("amount:up") or "reset".</summary>
internal sealed class DealColumnsForm
{
    public List<string> Columns { get; set; } = [];

    public string? Move { get; set; }

    /// <summary>The list's querystring, to come back to the same filter.</summary>
    public string? Return { get; set; }
}

/// <summary>Bulk reassign: the selected deals and their new responsible user.</summary>
internal sealed class DealBulkForm
{
    public List<Guid> Ids { get; set; } = [];

    public Guid? OwnerId { get; set; }

    public string? Return { get; set; }
}
