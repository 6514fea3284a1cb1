using Crm.SharedKernel.Access;
using Crm.Tasks.Access;
using Crm.Tasks.Areas.Tasks.Features.Shared;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Tasks.Areas.Tasks.Features.Calendar;

/// <summary>
/// The calendar of a user's tasks and meetings (a head may pick a manager), a week of hour rows or a month
/// of days, placed in the viewer's time zone; and the reschedule a task dropped on another day or hour
/// posts, answered as JSON for tasks-calendar.js.
/// </summary>
[Area("Tasks")]
[Authorize]
[Route("tasks")]
internal sealed class CalendarController(
    TasksDbContext db,
    TaskAccess access,
    TaskEditor editor,
    TaskDisplay display,
    ICurrentUser currentUser,
    IStringLocalizer<TasksStrings> strings) : Controller
{
    /// <summary>More than any real month holds; past it the page says it shows the first ones.</summary>
    public const int MaxItems = 1500;

    /// <summary>Named L like the views' localizer so the translation check finds every key.</summary>
    private IStringLocalizer<TasksStrings> L => strings;

    [HttpGet("calendar")]
    public async Task<IActionResult> Index(string? view, string? date, Guid? user, CancellationToken cancellationToken)
    {
        var owner = await DayOwner.ResolveAsync(access, currentUser, user, cancellationToken);
        if (owner is null)
        {
            return NotFound();
        }

        var kind = string.Equals(view, "month", StringComparison.OrdinalIgnoreCase) ? CalendarView.Month : CalendarView.Week;
        var today = display.Today;
        var day = LocalInput.TryDate(date, out var asked) ? asked : today;
        var first = kind == CalendarView.Week ? Monday(day) : Monday(new DateOnly(day.Year, day.Month, 1));
        var last = kind == CalendarView.Week ? first.AddDays(6) : Monday(new DateOnly(day.Year, day.Month, 1).AddMonths(1).AddDays(-1)).AddDays(6);
        var days = Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays).ToList();

        var from = TaskTimes.Day(first, display.TimeZone).Start;
        var to = TaskTimes.Day(last, display.TimeZone).End;
        var assigneeId = owner.Shown.Id;
        var now = display.Now;
        var rows = await TaskAccess.OfAssignee(db.Tasks.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken), assigneeId)
            .Where(t => t.Status != TaskState.Cancelled && t.DueAt >= from && t.DueAt < to)
            .OrderBy(t => t.DueAt).ThenBy(t => t.Id)
            .Take(MaxItems + 1)
            .Select(t => new { t.Id, t.Title, t.Kind, t.Priority, t.Status, t.AllDay, t.DueAt, t.OverdueAt, t.DurationMinutes, t.Version })
            .ToListAsync(cancellationToken);
        var items = rows.Take(MaxItems)
            .Select(t => new CalendarItem(t.Id, t.Title, t.Kind, t.Priority, t.Status == TaskState.Open, t.AllDay, display.Local(t.DueAt), t.DurationMinutes, t.Version,
                t.Status == TaskState.Open && t.OverdueAt <= now))
            .ToList();
        return View("Index", new CalendarPage(owner, kind, day, today, days, items, rows.Count > MaxItems));
    }

    /// <summary>
    /// A task dropped on a day (all day) or an hour of the week view: the new local date and time, through
    /// the one editor (duration and everything else kept). Refusals are answers too (200 with ok false and
    /// the reason, so the page rolls the item back); a task out of the user's edit scope is not found.
    /// </summary>
    [HttpPost("{id:guid}/reschedule")]
    public async Task<IActionResult> Reschedule(Guid id, [FromForm] RescheduleForm form, CancellationToken cancellationToken)
    {
        var task = await editor.FindAsync(id, AccessAction.Edit, cancellationToken);
        if (task is null)
        {
            return new JsonResult(new { ok = false, message = L["The task was not found."].Value }) { StatusCode = StatusCodes.Status404NotFound };
        }

        if (!task.IsOpen)
        {
            return Json(new { ok = false, message = L["A closed task stays where it was done."].Value });
        }

        if (!LocalInput.TryDate(form.Date, out var date) || !LocalInput.TryTime(form.Time, out var time))
        {
            return Json(new { ok = false, message = L["Drop the task on a day or an hour."].Value });
        }

        var input = TaskInput.From(task) with { DueAt = TaskTimes.ToInstant(date, time, currentUser.TimeZone), AllDay = time is null };
        var outcome = await editor.UpdateAsync(task, input, form.Version, cancellationToken);
        if (outcome.Conflict)
        {
            return Json(new { ok = false, message = L["Someone changed this task meanwhile. Reload the page and try again."].Value });
        }

        if (!outcome.Succeeded)
        {
            return Json(new { ok = false, message = string.Join(" ", outcome.Errors.Values) });
        }

        var saved = outcome.Task!;
        return Json(new
        {
            ok = true,
            message = L["Moved to {0}: {1}", display.When(saved), saved.Title].Value,
            version = saved.Version,
            time = saved.AllDay ? L["the whole day"].Value : display.Local(saved.DueAt).ToString("t", System.Globalization.CultureInfo.CurrentCulture),
        });
    }

    /// <summary>Weeks start on Monday, as in Russia and by ISO 8601.</summary>
    private static DateOnly Monday(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}

internal sealed class RescheduleForm
{
    /// <summary>yyyy-MM-dd.</summary>
    public string? Date { get; set; }

    /// <summary>HH:mm; empty for all day.</summary>
    public string? Time { get; set; }

    public uint? Version { get; set; }
}
