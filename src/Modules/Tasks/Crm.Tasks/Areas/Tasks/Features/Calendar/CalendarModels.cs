using Crm.Tasks.Areas.Tasks.Features.Shared;
using Crm.Tasks.Domain;

namespace Crm.Tasks.Areas.Tasks.Features.Calendar;

/// <summary>A task as the calendar places it: at its local date and time in the viewer's time zone.</summary>
internal sealed record CalendarItem(Guid Id, string Title, TaskKind Kind, TaskPriority Priority, bool IsOpen, bool AllDay, DateTime Local, int? DurationMinutes, uint Version, bool Overdue)
{
    public DateOnly Date => DateOnly.FromDateTime(Local);

    /// <summary>A meeting with a length is drawn as tall as it lasts, in half hours (at least one, at most a working day).</summary>
    public int? HalfHours => Kind == TaskKind.Meeting && !AllDay && DurationMinutes is { } minutes
        ? Math.Clamp((minutes + 29) / 30, 1, 2 * (CalendarPage.LastHour - CalendarPage.FirstHour + 1))
        : null;
}

internal enum CalendarView
{
    Week,
    Month,
}

internal sealed record CalendarPage(
    DayOwner Owner,
    CalendarView View,
    DateOnly Date,
    DateOnly Today,
    IReadOnlyList<DateOnly> Days,
    IReadOnlyList<CalendarItem> Items,
    bool Truncated)
{
    /// <summary>The week view's rows: 07:00 to 21:00; anything earlier or later sits in the first or last row.</summary>
    public const int FirstHour = 7;

    public const int LastHour = 21;

    /// <summary>Items a month's day shows before "+N more".</summary>
    public const int DayItems = 3;

    public DateOnly Previous => View == CalendarView.Week ? Date.AddDays(-7) : Date.AddMonths(-1);

    public DateOnly Next => View == CalendarView.Week ? Date.AddDays(7) : Date.AddMonths(1);

    public string Url(CalendarView view, DateOnly date) =>
        $"/tasks/calendar?view={view.ToString().ToLowerInvariant()}&date={LocalInput.Date(date)}{Owner.Query("&")}";

    public IEnumerable<CalendarItem> AllDayOn(DateOnly day) => Items.Where(i => i.AllDay && i.Date == day);

    public IEnumerable<CalendarItem> At(DateOnly day, int hour) => Items.Where(i => !i.AllDay && i.Date == day && Math.Clamp(i.Local.Hour, FirstHour, LastHour) == hour);

    public IEnumerable<CalendarItem> On(DateOnly day) => Items.Where(i => i.Date == day);
}
