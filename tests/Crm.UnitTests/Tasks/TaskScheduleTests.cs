using Crm.Tasks.Domain;
using Xunit;

namespace Crm.UnitTests.Tasks;

/// <summary>Due, overdue and reminder moments, and the user's days, in the user's time zone.</summary>
public sealed class TaskScheduleTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private static readonly TimeZoneInfo Vladivostok = TimeZoneInfo.FindSystemTimeZoneById("Asia/Vladivostok");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void A_timed_task_is_overdue_at_its_due_time_and_reminds_the_given_minutes_before()
    {
        var due = TaskTimes.ToInstant(new DateOnly(2026, 11, 23), new TimeOnly(10, 0), Moscow);
        var task = new TaskItem();

        task.Schedule(due, allDay: false, reminderMinutes: 15, Moscow);

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero), task.DueAt);
        Assert.Equal(task.DueAt, task.OverdueAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 6, 45, 0, TimeSpan.Zero), task.RemindAt);
    }

    [Fact]
    public void An_all_day_task_starts_at_the_users_midnight_and_is_overdue_only_when_that_day_ends()
    {
        var task = new TaskItem();

        task.Schedule(TaskTimes.ToInstant(new DateOnly(2026, 11, 23), new TimeOnly(15, 30), Vladivostok), allDay: true, reminderMinutes: null, Vladivostok);

        // Vladivostok is UTC+10: its 23 November starts at 14:00 UTC on the 22nd.
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 14, 0, 0, TimeSpan.Zero), task.DueAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.Zero), task.OverdueAt);
        Assert.Null(task.RemindAt);
        Assert.False(task.IsOverdue(new DateTimeOffset(2026, 11, 23, 13, 59, 0, TimeSpan.Zero)));
        Assert.True(task.IsOverdue(new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Moving_the_due_time_reminds_and_reports_overdue_again_but_an_unchanged_save_does_not()
    {
        var task = new TaskItem();
        var due = new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);
        task.Schedule(due, false, 15, Moscow);
        task.RemindedAt = due;
        task.OverdueNotifiedAt = due;

        task.Schedule(due, false, 15, Moscow);
        Assert.NotNull(task.RemindedAt);
        Assert.NotNull(task.OverdueNotifiedAt);

        task.Schedule(due.AddDays(1), false, 15, Moscow);
        Assert.Null(task.RemindedAt);
        Assert.Null(task.OverdueNotifiedAt);
    }

    [Fact]
    public void Today_is_the_users_today_not_the_servers()
    {
        // 20:00 UTC on the 22nd is still the 22nd in Moscow (23:00) but already the 23rd in Vladivostok (06:00).
        var now = new DateTimeOffset(2026, 11, 22, 20, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2026, 11, 22), TaskTimes.Today(now, Moscow));
        Assert.Equal(new DateOnly(2026, 11, 23), TaskTimes.Today(now, Vladivostok));
        var day = TaskTimes.Day(new DateOnly(2026, 11, 23), Vladivostok);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 14, 0, 0, TimeSpan.Zero), day.Start);
        Assert.Equal(TimeSpan.FromHours(24), day.End - day.Start);
    }

    [Fact]
    public void A_time_skipped_by_a_daylight_saving_jump_moves_to_the_hour_after_and_that_day_is_23_hours()
    {
        // Berlin jumps from 02:00 to 03:00 on 29 March 2026.
        var skipped = TaskTimes.ToInstant(new DateOnly(2026, 3, 29), new TimeOnly(2, 30), Berlin);

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), skipped);
        var day = TaskTimes.Day(new DateOnly(2026, 3, 29), Berlin);
        Assert.Equal(TimeSpan.FromHours(23), day.End - day.Start);
    }
}
