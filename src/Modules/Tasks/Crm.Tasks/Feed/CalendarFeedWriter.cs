using Crm.Tasks.Areas.Tasks.Features.Shared;
using Crm.Tasks.Domain;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.Extensions.Localization;

namespace Crm.Tasks.Feed;

/// <summary>
/// Tasks as an iCalendar document (Ical.Net): one VEVENT per task with a stable UID, so a calendar app
/// updates an event when the task moves instead of adding another. Times are UTC; an all-day task is a
/// DATE event; the reminder is a VALARM; the kind is the category.
/// </summary>
internal sealed class CalendarFeedWriter(TaskDisplay display, IStringLocalizer<TasksStrings> L)
{
    /// <summary>How long an event without a duration of its own lasts in the calendar.</summary>
    public const int DefaultMinutes = 30;

    public string Write(string userName, IEnumerable<TaskItem> tasks, string baseUrl, DateTimeOffset now)
    {
        var calendar = new Calendar { ProductId = "-//Crm//Tasks//EN" };
        calendar.AddProperty("X-WR-CALNAME", L["Crm tasks: {0}", userName]);
        // Calendar apps poll at their own pace; this asks for every quarter of an hour where they listen.
        calendar.AddProperty("X-PUBLISHED-TTL", "PT15M");
        calendar.AddProperty("REFRESH-INTERVAL;VALUE=DURATION", "PT15M");
        foreach (var task in tasks)
        {
            var link = $"{baseUrl}/tasks/{task.Id}";
            var text = string.Join("\n\n", new[]
            {
                task.Description,
                task.LinkId is null ? null : task.LinkName,
                link,
            }.Where(part => !string.IsNullOrWhiteSpace(part)));
            var item = new CalendarEvent
            {
                Uid = $"{task.Id}@crm",
                Summary = task.Title,
                Description = text,
                Url = new Uri(link),
                DtStamp = new CalDateTime(now.UtcDateTime),
                LastModified = new CalDateTime(task.UpdatedAt.UtcDateTime),
                Priority = task.Priority switch { TaskPriority.High => 1, TaskPriority.Low => 9, _ => 5 },
            };
            if (task.AllDay)
            {
                var day = AllDayDate(task);
                item.DtStart = new CalDateTime(day);
                item.DtEnd = new CalDateTime(day.AddDays(1));
            }
            else
            {
                item.DtStart = new CalDateTime(task.DueAt.UtcDateTime);
                item.DtEnd = new CalDateTime(task.DueAt.AddMinutes(task.DurationMinutes ?? DefaultMinutes).UtcDateTime);
            }

            item.Categories.Add(display.Kind(task.Kind));
            if (task.ReminderMinutes is { } minutes)
            {
                item.Alarms.Add(new Alarm
                {
                    Action = AlarmAction.Display,
                    Description = task.Title,
                    Trigger = new Trigger(Duration.FromMinutes(-minutes)),
                });
            }

            calendar.Events.Add(item);
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    /// <summary>
    /// The day of an all-day task. Its due time is the start of that day and its overdue time the start of
    /// the next, in the time zone it was set in; the middle of the two is that day's noon, whose UTC date is
    /// the day itself for any zone from UTC−12 to UTC+12 (the feed has no time zone of the user to ask).
    /// </summary>
    public static DateOnly AllDayDate(TaskItem task)
    {
        var end = task.OverdueAt > task.DueAt ? task.OverdueAt : task.DueAt.AddDays(1);
        return DateOnly.FromDateTime((task.DueAt + (end - task.DueAt) / 2).UtcDateTime);
    }
}
