using System.Globalization;
using Crm.SharedKernel.Access;
using Crm.Tasks.Domain;
using Microsoft.Extensions.Localization;

namespace Crm.Tasks.Areas.Tasks.Features.Shared;

/// <summary>
/// How tasks read on every page of the module, in the user's language and time zone: "today 14:30",
/// "tomorrow", "yesterday 09:00", "12 Mar", and the names of kinds, priorities and statuses. One place,
/// so my day, the calendar, the list, the card and the panels say the same thing.
/// </summary>
internal sealed class TaskDisplay(IStringLocalizer<TasksStrings> L, ICurrentUser currentUser, TimeProvider clock)
{
    public TimeZoneInfo TimeZone => currentUser.TimeZone;

    public DateTimeOffset Now => clock.GetUtcNow();

    public DateOnly Today => TaskTimes.Today(Now, TimeZone);

    public DateTime Local(DateTimeOffset instant) => TaskTimes.ToLocal(instant, TimeZone);

    /// <summary>The due time as people say it: "today 14:30", "tomorrow", "12 Mar 10:00", "12 Mar 2025".</summary>
    public string When(TaskItem task) => When(task.DueAt, task.AllDay);

    public string When(DateTimeOffset instant, bool allDay = false)
    {
        var local = Local(instant);
        var day = DateOnly.FromDateTime(local);
        var culture = CultureInfo.CurrentCulture;
        var time = allDay ? "" : " " + local.ToString("t", culture);
        var today = Today;
        if (day == today)
        {
            return L["today"] + time;
        }

        if (day == today.AddDays(1))
        {
            return L["tomorrow"] + time;
        }

        if (day == today.AddDays(-1))
        {
            return L["yesterday"] + time;
        }

        var date = day.Year == today.Year ? local.ToString("d MMM", culture) : local.ToString("d MMM yyyy", culture);
        return date + time;
    }

    public bool IsOverdue(TaskItem task) => task.IsOverdue(Now);

    public string Kind(TaskKind kind) => kind switch
    {
        TaskKind.Call => L["Call"],
        TaskKind.Meeting => L["Meeting"],
        TaskKind.Email => L["E-mail"],
        _ => L["To-do"],
    };

    /// <summary>The icon of the kind in /img/icons.svg.</summary>
    public static string Icon(TaskKind kind) => kind switch
    {
        TaskKind.Call => "telephone",
        TaskKind.Meeting => "people",
        TaskKind.Email => "envelope",
        _ => "check2-square",
    };

    public string Priority(TaskPriority priority) => priority switch
    {
        TaskPriority.High => L["High"],
        TaskPriority.Low => L["Low"],
        _ => L["Normal"],
    };

    public string Status(TaskState status) => status switch
    {
        TaskState.Done => L["Done"],
        TaskState.Cancelled => L["Cancelled"],
        _ => L["Open"],
    };
}
