using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.Tasks.Access;
using Crm.Tasks.Data;
using Crm.Tasks.Export;
using Crm.Tasks.Integration;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Tasks.Areas.Tasks.Features.List;

/// <summary>
/// The tasks list: filters on the left, the tasks by due time paged by keyset ("show more" over htmx), and
/// the .xlsx export of the same filter within the export right. Everything through <see cref="TaskAccess"/>.
/// </summary>
[Area("Tasks")]
[Authorize]
[Route("tasks")]
internal sealed class ListController(
    TasksDbContext db,
    TaskAccess access,
    TaskLinks links,
    IUserDirectory users,
    ICurrentUser currentUser,
    TimeProvider clock,
    IStringLocalizerFactory localizers,
    IStringLocalizer<TasksStrings> strings) : Controller
{
    public const int PageSize = 50;

    /// <summary>The module's strings; named L like the views' localizer so the translation check finds every key.</summary>
    private IStringLocalizer<TasksStrings> L => strings;

    [HttpGet("list")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = TaskListQuery.Read(Request.Query, links.All.Select(l => l.Kind), currentUser.TimeZone, L, errors);
        var filter = await access.FilterAsync(AccessAction.View, cancellationToken);
        var rows = await query.Page(db.Tasks.AsNoTracking(), filter, clock.GetUtcNow(), PageSize + 1).ToListAsync(cancellationToken);
        var next = rows.Count > PageSize ? TaskListQuery.CursorAfter(rows[PageSize - 1]) : null;
        rows = rows.Take(PageSize).ToList();

        var assignees = await access.ViewableAssigneesAsync(cancellationToken);
        var names = assignees.ToDictionary(u => u.Id);
        var missing = rows.Select(r => r.AssigneeId).Where(id => !names.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            foreach (var (id, user) in await users.GetUsersAsync(missing, cancellationToken))
            {
                names[id] = user;
            }
        }

        var page = new TaskListPage(
            query,
            rows,
            next,
            assignees,
            names,
            LinkKinds(),
            errors,
            (await access.FilterAsync(AccessAction.Export, cancellationToken)).Scope != AccessScope.None);
        ViewData["Title"] = L["Tasks"].Value;
        return Request.Headers.ContainsKey("HX-Request") ? PartialView("_TaskRows", page) : View("Index", page);
    }

    /// <summary>
    /// The list's filter as .xlsx within the export right (a right of its own: a role may see tasks and not
    /// take them away). Without it, or with a filter that does not read, back to the list with the reason.
    /// </summary>
    [HttpGet("list/export")]
    public async Task<IActionResult> Export([FromServices] TaskExport export, CancellationToken cancellationToken)
    {
        var filter = await access.FilterAsync(AccessAction.Export, cancellationToken);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = TaskListQuery.Read(Request.Query, links.All.Select(l => l.Kind), currentUser.TimeZone, L, errors);
        if (filter.Scope == AccessScope.None)
        {
            TempData["toast"] = L["Your role may not export tasks."].Value;
            return Redirect(TaskListPage.Path + query.QueryString());
        }

        if (errors.Count > 0)
        {
            // The list shows the messages next to the filters.
            return Redirect(TaskListPage.Path + Request.QueryString.Value);
        }

        // The whole filter, not one page: without the cursor.
        var rows = query.Apply(TaskAccess.Within(db.Tasks.AsNoTracking(), filter), clock.GetUtcNow(), paged: false);
        var result = await export.WriteAsync(rows.AsEnumerable(), LinkKinds(), currentUser.Id, cancellationToken);
        return new ResultAction(result);
    }

    /// <summary>Opens a task's linked record at the address its module gives, if the user may see it.</summary>
    [HttpGet("link/{kind}/{id:guid}")]
    public async Task<IActionResult> Link(string kind, Guid id, CancellationToken cancellationToken)
    {
        var record = await links.FindAsync(kind, id, cancellationToken);
        if (record is null || !record.Url.StartsWith('/') || record.Url.StartsWith("//", StringComparison.Ordinal))
        {
            TempData["toast"] = L["The linked record was not found."].Value;
            return Redirect(TaskListPage.Path);
        }

        return Redirect(record.Url);
    }

    private List<LinkKindChoice> LinkKinds() =>
        links.All.Select(l => new LinkKindChoice(l.Kind, localizers.Create(l.Strings)[l.Label])).ToList();

    /// <summary>Lets an MVC action answer with a minimal-API result.</summary>
    private sealed class ResultAction(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
