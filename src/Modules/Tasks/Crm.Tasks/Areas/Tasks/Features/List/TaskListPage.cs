using Crm.Identity.Contracts;
using Crm.Tasks.Domain;

namespace Crm.Tasks.Areas.Tasks.Features.List;

/// <summary>A record kind the link filter offers: its name as stored ("deal") and as people read it.</summary>
internal sealed record LinkKindChoice(string Kind, string Label);

/// <summary>A page of the tasks list: its rows, the next page's cursor, the filter's choices and messages.</summary>
internal sealed record TaskListPage(
    TaskListQuery Query,
    IReadOnlyList<TaskItem> Rows,
    string? NextCursor,
    IReadOnlyList<UserSummary> Assignees,
    IReadOnlyDictionary<Guid, UserSummary> Names,
    IReadOnlyList<LinkKindChoice> LinkKinds,
    IReadOnlyDictionary<string, string> Errors,
    bool CanExport)
{
    public const string Path = "/tasks/list";

    public string AssigneeName(Guid id) => Names.TryGetValue(id, out var user) ? user.FullName : "—";

    public string LinkLabel(string? kind) => LinkKinds.FirstOrDefault(k => k.Kind == kind)?.Label ?? kind ?? "";

    /// <summary>Opens the linked record through the module that owns it (one look-up on click, not one per row).</summary>
    public static string LinkUrl(TaskItem task) => $"/tasks/link/{task.LinkKind}/{task.LinkId}";
}
