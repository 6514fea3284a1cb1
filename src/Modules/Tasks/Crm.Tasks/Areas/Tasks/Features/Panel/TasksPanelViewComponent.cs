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
/// The tasks panel on lead, company, contact and deal cards (registered as a <see cref="ClientCardPanel"/>
/// and a <see cref="DealCardPanel"/>): the record's open tasks by due time with their count, the last done
/// ones with their result, and an add button that comes back to the card. Only the tasks the user may see.
/// </summary>
internal sealed class TasksPanelViewComponent(TasksDbContext db, TaskAccess access, IUserDirectory users, TimeProvider clock) : ViewComponent
{
    public const string Name = "TasksPanel";
    public const int OpenShown = 10;
    public const int DoneShown = 3;

    /// <param name="slot">A <see cref="ClientCardSlot"/> or a <see cref="DealCardSlot"/>: one panel for every card.</param>
    public async Task<IViewComponentResult> InvokeAsync(object slot)
    {
        var (kind, recordId) = slot switch
        {
            ClientCardSlot client => (client.Kind switch
            {
                ClientKind.Company => TaskLinkKinds.Company,
                ClientKind.Contact => TaskLinkKinds.Contact,
                _ => TaskLinkKinds.Lead,
            }, client.Id),
            DealCardSlot deal => (TaskLinkKinds.Deal, deal.DealId),
            _ => throw new ArgumentException($"The tasks panel does not know the slot {slot.GetType().Name}.", nameof(slot)),
        };

        var cancellationToken = HttpContext.RequestAborted;
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
        return View("/Areas/Tasks/Features/Panel/Default.cshtml", new TasksPanel(openCount, [.. openRows.Select(Row)], [.. doneRows.Select(Row)], addUrl));
    }
}

internal sealed record PanelTask(Guid Id, string Title, TaskKind Kind, DateTimeOffset DueAt, bool AllDay, bool Overdue, string Initials, string AssigneeName, string? Result, DateTimeOffset? CompletedAt);

internal sealed record TasksPanel(int OpenCount, IReadOnlyList<PanelTask> Open, IReadOnlyList<PanelTask> Done, string AddUrl);
