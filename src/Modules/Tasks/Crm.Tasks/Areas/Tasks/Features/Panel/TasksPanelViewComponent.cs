using Crm.Clients.Contracts;
using Crm.Deals.Contracts;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.Tasks.Access;
using Crm.Tasks.Contracts;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tasks.Areas.Tasks.Features.Panel;

/// <summary>
/// The tasks panel on lead, company and contact cards (a <see cref="ClientCardPanel"/>): see <see cref="TasksPanelBuilder"/>.
/// </summary>
internal sealed class TasksPanelViewComponent(TasksPanelBuilder builder) : ViewComponent
{
    public const string Name = "TasksPanel";

    public async Task<IViewComponentResult> InvokeAsync(ClientCardSlot slot)
    {
        var kind = slot.Kind switch
        {
            ClientKind.Company => TaskLinkKinds.Company,
            ClientKind.Contact => TaskLinkKinds.Contact,
            _ => TaskLinkKinds.Lead,
        };
        return View(TasksPanelBuilder.ViewPath, await builder.BuildAsync(kind, slot.Id, HttpContext.RequestAborted));
    }
}

/// <summary>The same tasks panel on deal cards (a <see cref="DealCardPanel"/>).</summary>
internal sealed class DealTasksPanelViewComponent(TasksPanelBuilder builder) : ViewComponent
{
    public const string Name = "DealTasksPanel";

    public async Task<IViewComponentResult> InvokeAsync(DealCardSlot slot) =>
        View(TasksPanelBuilder.ViewPath, await builder.BuildAsync(TaskLinkKinds.Deal, slot.DealId, HttpContext.RequestAborted));
}

/// <summary>
/// What the tasks panel on a record's card shows: the record's open tasks by due time with their count,
/// the last done ones with their result, and an add button that comes back to the card. Only the tasks
/// the user may see (a manager on a colleague's card sees the tasks within their own reach).
/// </summary>
internal sealed class TasksPanelBuilder(TasksDbContext db, TaskAccess access, IUserDirectory users, TimeProvider clock)
{
    public const string ViewPath = "/Areas/Tasks/Features/Panel/Default.cshtml";
    public const int OpenShown = 10;
    public const int DoneShown = 3;

    public async Task<TasksPanel> BuildAsync(string kind, Guid recordId, CancellationToken cancellationToken)
    {
        var tasks = TaskAccess.Within(db.Tasks.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken))
            .Where(t => t.LinkKind == kind && t.LinkId == recordId);
        var open = tasks.Where(t => t.Status == TaskState.Open);
        var openCount = await open.CountAsync(cancellationToken);
        var openRows = await open.OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(OpenShown).ToListAsync(cancellationToken);
        var doneRows = await tasks.Where(t => t.Status == TaskState.Done)
            .OrderByDescending(t => t.CompletedAt).ThenByDescending(t => t.Id).Take(DoneShown).ToListAsync(cancellationToken);
        var people = await users.GetUsersAsync(openRows.Concat(doneRows).Select(t => t.AssigneeId).Distinct(), cancellationToken);
        var now = clock.GetUtcNow();
        PanelTask Row(TaskItem t) => new(t.Id, t.Title, t.Kind, t.DueAt, t.AllDay, t.IsOverdue(now), people.GetValueOrDefault(t.AssigneeId)?.Initials ?? "—",
            people.GetValueOrDefault(t.AssigneeId)?.FullName ?? "—", t.Result, t.CompletedAt);

        // The card's own address (not the request's: a card re-shown after a failed POST has another).
        var cardUrl = kind switch
        {
            TaskLinkKinds.Company => "/companies/" + recordId,
            TaskLinkKinds.Contact => "/contacts/" + recordId,
            TaskLinkKinds.Lead => "/leads/" + recordId,
            _ => "/deals/" + recordId,
        };
        var addUrl = $"/tasks/new?linkKind={kind}&linkId={recordId}&returnUrl={Uri.EscapeDataString(cardUrl)}";
        return new TasksPanel(openCount, [.. openRows.Select(Row)], [.. doneRows.Select(Row)], addUrl);
    }
}

internal sealed record PanelTask(Guid Id, string Title, TaskKind Kind, DateTimeOffset DueAt, bool AllDay, bool Overdue, string Initials, string AssigneeName, string? Result, DateTimeOffset? CompletedAt);

internal sealed record TasksPanel(int OpenCount, IReadOnlyList<PanelTask> Open, IReadOnlyList<PanelTask> Done, string AddUrl);
