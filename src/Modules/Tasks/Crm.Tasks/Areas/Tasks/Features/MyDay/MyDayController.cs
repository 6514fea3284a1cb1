using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.Tasks.Access;
using Crm.Tasks.Areas.Tasks.Features.Shared;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Tasks.Areas.Tasks.Features.MyDay;

/// <summary>
/// My day: overdue, today, tomorrow, later and done today, each with its count, for the user or (a head)
/// for a manager they choose; the one-line quick add; and the department overview of overdue and today's
/// tasks per manager. "Today" is the user's today in their time zone. The sections reload as an htmx
/// partial whenever a task changes on the page ("tasks-changed").
/// </summary>
[Area("Tasks")]
[Authorize]
[Route("tasks")]
internal sealed class MyDayController(
    TasksDbContext db,
    TaskAccess access,
    TaskEditor editor,
    TaskDisplay display,
    IUserDirectory users,
    ICurrentUser currentUser,
    IStringLocalizer<TasksStrings> strings) : Controller
{
    /// <summary>
    /// Rows shown of the overdue, later and done sections: a day to work through, not a list (the section links
    /// to the list for the rest). Today and tomorrow show up to <see cref="DaySize"/>.
    /// </summary>
    public const int SectionSize = 10;

    public const int DaySize = 200;

    /// <summary>Named L like the views' localizer so the translation check finds every key.</summary>
    private IStringLocalizer<TasksStrings> L => strings;

    [HttpGet("")]
    public async Task<IActionResult> Index(Guid? user, CancellationToken cancellationToken)
    {
        var owner = await DayOwner.ResolveAsync(access, currentUser, user, cancellationToken);
        if (owner is null)
        {
            return NotFound();
        }

        var quick = new QuickAddForm { Kind = nameof(TaskKind.Call), Date = LocalInput.Date(display.Today), User = owner.IsSelf ? null : owner.Shown.Id };
        return View("Index", new MyDayPage(await SectionsAsync(owner, cancellationToken), new QuickAddPage(quick, new Dictionary<string, string>(), null)));
    }

    /// <summary>The sections again (htmx, after a task changed on the page).</summary>
    [HttpGet("sections")]
    public async Task<IActionResult> Sections(Guid? user, CancellationToken cancellationToken)
    {
        var owner = await DayOwner.ResolveAsync(access, currentUser, user, cancellationToken);
        return owner is null ? NotFound() : PartialView("_Sections", await SectionsAsync(owner, cancellationToken));
    }

    /// <summary>
    /// The quick add: title, kind, date and an optional time, through the one editor. Answers the form
    /// again (empty, with what was added, and "tasks-changed" so the sections reload, or with the messages
    /// next to the fields); without htmx, back to my day.
    /// </summary>
    [HttpPost("quick")]
    public async Task<IActionResult> Quick([FromForm] QuickAddForm form, CancellationToken cancellationToken)
    {
        var owner = await DayOwner.ResolveAsync(access, currentUser, form.User, cancellationToken);
        if (owner is null)
        {
            return NotFound();
        }

        var errors = new Dictionary<string, string>();
        if (!LocalInput.TryKind(form.Kind, out var kind))
        {
            errors[nameof(QuickAddForm.Kind)] = L["Choose the kind of task."];
        }

        if (!LocalInput.TryDate(form.Date, out var date))
        {
            errors[nameof(QuickAddForm.Date)] = L["Enter the date."];
        }

        if (!LocalInput.TryTime(form.Time, out var time))
        {
            errors[nameof(QuickAddForm.Time)] = L["Enter the time as hh:mm or leave it empty."];
        }

        TaskItem? added = null;
        if (errors.Count == 0)
        {
            var outcome = await editor.CreateAsync(
                new TaskInput
                {
                    Title = form.Title,
                    Kind = kind,
                    AssigneeId = owner.IsSelf ? null : owner.Shown.Id,
                    DueAt = TaskTimes.ToInstant(date, time, currentUser.TimeZone),
                    AllDay = time is null,
                    DurationMinutes = kind == TaskKind.Meeting && time is not null ? 60 : null,
                },
                cancellationToken);
            foreach (var (key, message) in outcome.Errors)
            {
                errors[key switch
                {
                    nameof(TaskInput.Title) => nameof(QuickAddForm.Title),
                    nameof(TaskInput.Kind) => nameof(QuickAddForm.Kind),
                    nameof(TaskInput.DueAt) => nameof(QuickAddForm.Date),
                    _ => "",
                }] = message;
            }

            added = outcome.Task;
        }

        var htmx = Request.Headers.ContainsKey("HX-Request");
        if (added is not null)
        {
            if (!htmx)
            {
                TempData["toast"] = L["Task added: {0}", added.Title].Value;
                return Redirect("/tasks" + owner.Query());
            }

            Response.Headers["HX-Trigger"] = "tasks-changed";
            var fresh = new QuickAddForm { Kind = form.Kind, Date = form.Date, User = form.User };
            return PartialView("_QuickAdd", new QuickAddPage(fresh, new Dictionary<string, string>(), L["Task added: {0}", added.Title]));
        }

        var page = new QuickAddPage(form, errors, null);
        if (htmx)
        {
            return PartialView("_QuickAdd", page);
        }

        return View("Index", new MyDayPage(await SectionsAsync(owner, cancellationToken), page));
    }

    /// <summary>
    /// The department overview for a head: per manager within reach, the open tasks overdue and due today,
    /// counted in one grouped query over the open-by-department index.
    /// </summary>
    [HttpGet("overview")]
    public async Task<IActionResult> Overview(CancellationToken cancellationToken)
    {
        var viewable = await access.ViewableAssigneesAsync(cancellationToken);
        var filter = await access.FilterAsync(AccessAction.View, cancellationToken);
        if (viewable.Count <= 1 || filter.Scope is not (AccessScope.Department or AccessScope.All))
        {
            return NotFound();
        }

        var now = display.Now;
        var todayEnd = TaskTimes.Day(display.Today, display.TimeZone).End;
        // The departments' assigned tasks alone (not the head's authored ones elsewhere): each counted row comes
        // from the open-by-department index, whose included overdue moment spares the table.
        var open = db.Tasks.AsNoTracking().Where(t => t.DeletedAt == null && t.Status == TaskState.Open && t.DueAt < todayEnd);
        if (filter.Scope == AccessScope.Department)
        {
            var departments = filter.DepartmentIds.ToArray();
            open = open.Where(t => departments.Contains(t.AssigneeDepartmentId));
        }

        // Overdue and today's both fall before the end of today; which one is the overdue moment's business.
        var counts = await open
            .GroupBy(t => t.AssigneeId)
            .Select(g => new { AssigneeId = g.Key, Overdue = g.Count(t => t.OverdueAt <= now), Today = g.Count(t => t.OverdueAt > now) })
            .ToDictionaryAsync(c => c.AssigneeId, cancellationToken);
        var departmentNames = (await users.GetDepartmentsAsync(cancellationToken)).ToDictionary(d => d.Id, d => d.Name);
        var rows = viewable
            .Select(u => new OverviewRow(
                u,
                departmentNames.GetValueOrDefault(u.DepartmentId) ?? "",
                counts.TryGetValue(u.Id, out var c) ? c.Overdue : 0,
                counts.TryGetValue(u.Id, out var d) ? d.Today : 0))
            .OrderBy(r => r.Department, StringComparer.CurrentCulture)
            .ThenByDescending(r => r.Overdue)
            .ThenBy(r => r.User.FullName, StringComparer.CurrentCulture)
            .ToList();
        return View("Overview", new OverviewPage(rows, display.Today));
    }

    /// <summary>
    /// The shown assignee's sections: the counts in two queries (open by assignee, done today), the rows in
    /// one (a UNION ALL of each section's first rows, each read in index order with a limit).
    /// </summary>
    private async Task<DaySections> SectionsAsync(DayOwner owner, CancellationToken cancellationToken)
    {
        var filter = await access.FilterAsync(AccessAction.View, cancellationToken);
        var now = display.Now;
        var today = TaskTimes.Day(display.Today, display.TimeZone);
        var tomorrow = TaskTimes.Day(display.Today.AddDays(1), display.TimeZone);
        var assigneeId = owner.Shown.Id;
        var tasks = TaskAccess.OfAssignee(db.Tasks.AsNoTracking(), filter, assigneeId);
        var open = tasks.Where(t => t.Status == TaskState.Open);

        // A task not yet overdue is due at most a day before its overdue moment (an all-day task), so this bound
        // lets the index start near now instead of walking every overdue task first.
        var notOverdueFrom = now.AddDays(-2);
        var done = tasks.Where(t => t.Status == TaskState.Done && t.CompletedAt >= today.Start && t.CompletedAt < today.End);

        var counts = await open
            .GroupBy(t => 1)
            .Select(g => new
            {
                Overdue = g.Count(t => t.OverdueAt <= now),
                Today = g.Count(t => t.OverdueAt > now && t.DueAt < today.End),
                Tomorrow = g.Count(t => t.OverdueAt > now && t.DueAt >= today.End && t.DueAt < tomorrow.End),
                Later = g.Count(t => t.OverdueAt > now && t.DueAt >= tomorrow.End),
            })
            .SingleOrDefaultAsync(cancellationToken);
        var doneCount = await done.CountAsync(cancellationToken);

        var rows = await open.Where(t => t.OverdueAt <= now).OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(SectionSize)
            .Concat(open.Where(t => t.DueAt > notOverdueFrom && t.OverdueAt > now && t.DueAt < tomorrow.End).OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(DaySize))
            .Concat(open.Where(t => t.OverdueAt > now && t.DueAt >= tomorrow.End).OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(SectionSize))
            .Concat(done.OrderByDescending(t => t.CompletedAt).ThenBy(t => t.Id).Take(SectionSize))
            .ToListAsync(cancellationToken);

        List<TaskItem> Rows(Func<TaskItem, bool> predicate, bool latestFirst = false) =>
            (latestFirst ? rows.Where(predicate).OrderByDescending(t => t.CompletedAt) : rows.Where(predicate).OrderBy(t => t.DueAt)).ThenBy(t => t.Id).ToList();

        var list = "/tasks/list?assignee=" + assigneeId;
        string Days(DateOnly from, DateOnly? to = null) =>
            list + "&dueFrom=" + LocalInput.Date(from) + (to is { } last ? "&dueTo=" + LocalInput.Date(last) : "");
        return new DaySections(owner,
        [
            new(DaySectionKind.Overdue, counts?.Overdue ?? 0, Rows(t => t.IsOpen && t.OverdueAt <= now), list + "&overdue=true"),
            new(DaySectionKind.Today, counts?.Today ?? 0, Rows(t => t.IsOpen && t.OverdueAt > now && t.DueAt < today.End), Days(today.Date, today.Date)),
            new(DaySectionKind.Tomorrow, counts?.Tomorrow ?? 0, Rows(t => t.IsOpen && t.OverdueAt > now && t.DueAt >= today.End && t.DueAt < tomorrow.End), Days(tomorrow.Date, tomorrow.Date)),
            new(DaySectionKind.Later, counts?.Later ?? 0, Rows(t => t.IsOpen && t.OverdueAt > now && t.DueAt >= tomorrow.End), Days(tomorrow.Date.AddDays(1))),
            new(DaySectionKind.DoneToday, doneCount, Rows(t => t.Status == TaskState.Done, latestFirst: true), list + "&status=done"),
        ]);
    }
}
