using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

/// <summary>
/// My day and the calendar as a manager uses them: a task added in one line shows under today, ticked
/// done with a result and the next one scheduled it moves to done today and the follow-up appears under
/// tomorrow, all without leaving the page; a task dragged to another day in the week stays there.
/// </summary>
public sealed class MyDayTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private static string Tag() => Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public Task A_task_added_in_my_day_is_completed_with_a_result_and_a_follow_up() =>
        app.RunAsync(nameof(A_task_added_in_my_day_is_completed_with_a_result_and_a_follow_up), async page =>
        {
            var title = "Позвонить в Ромашку " + Tag();
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            await page.GotoAsync("/tasks");

            // All day today (no time): under today whatever the hour the test runs at.
            await page.Locator("#quick-title").FillAsync(title);
            await page.Locator("#quick-kind").SelectOptionAsync("Call");
            await page.Locator("#quick-add button[type=submit]").ClickAsync();
            await Expect(page.Locator("[data-quick-added]")).ToContainTextAsync(title);
            var today = page.Locator("[data-section='today']");
            await Expect(today.Locator(".crm-day-row", new() { HasText = title })).ToBeVisibleAsync();
            await Expect(page.Locator("#quick-title")).ToHaveValueAsync("");

            await today.Locator(".crm-day-row", new() { HasText = title }).Locator("[data-complete]").ClickAsync();
            var dialog = page.Locator("[data-task-modal]");
            await Expect(dialog.Locator("#complete-result")).ToBeVisibleAsync();
            await Expect(dialog.Locator("#next-title")).Not.ToBeVisibleAsync();
            await dialog.Locator("#complete-result").FillAsync("Договорились, ждут предложение");
            await dialog.Locator("#complete-next").CheckAsync();
            await Expect(dialog.Locator("#next-title")).ToHaveValueAsync("Перезвонить: " + title);
            await BrowserApp.KeepScreenshotAsync(page, "tasks-complete-dialog");
            await dialog.Locator("[data-complete-submit]").ClickAsync();

            await Expect(dialog.Locator("[data-completed]")).ToContainTextAsync(title);
            await Expect(page.Locator("[data-section='donetoday'] .crm-day-row", new() { HasText = title })).ToBeVisibleAsync();
            await Expect(page.Locator("[data-section='tomorrow'] .crm-day-row", new() { HasText = "Перезвонить: " + title })).ToBeVisibleAsync();
            await Expect(today.Locator(".crm-day-row", new() { HasText = title })).ToHaveCountAsync(0);
            await dialog.Locator(".modal-footer button").ClickAsync();
            await Expect(dialog).Not.ToBeVisibleAsync();

            var saved = await app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<TasksDbContext>().Tasks.AsNoTracking().SingleAsync(t => t.Title == title);
            Assert.Equal(TaskState.Done, saved.Status);
            Assert.Equal("Договорились, ждут предложение", saved.Result);
        });

    [Fact]
    public Task A_task_dragged_to_another_day_in_the_week_stays_there() =>
        app.RunAsync(nameof(A_task_dragged_to_another_day_in_the_week_stays_there), async page =>
        {
            var monday = Monday(TaskTimes.Today(DateTimeOffset.UtcNow, Moscow));
            var tuesday = monday.AddDays(1);
            var thursday = monday.AddDays(3);
            var task = await TasksData.CreateAsync(app.Services, CrmApp.Anna, new TaskInput
            {
                Title = "Встреча в Ромашке " + Tag(),
                Kind = TaskKind.Meeting,
                DurationMinutes = 90,
                DueAt = TaskTimes.ToInstant(tuesday, new TimeOnly(10, 30), Moscow),
            });
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            var url = "/tasks/calendar?view=week&date=" + tuesday.ToString("yyyy-MM-dd");
            await page.GotoAsync(url);

            var item = page.Locator($"[data-task-id='{task.Id}']");
            await Expect(page.Locator($"[data-date='{tuesday:yyyy-MM-dd}'][data-hour='10'] [data-task-id='{task.Id}']")).ToBeVisibleAsync();
            await item.DragToAsync(page.Locator($"[data-date='{thursday:yyyy-MM-dd}'][data-hour='14']"));

            await Expect(page.Locator("[data-calendar-toast]")).ToBeVisibleAsync();
            await Expect(page.Locator($"[data-date='{thursday:yyyy-MM-dd}'][data-hour='14'] [data-task-id='{task.Id}'][data-moved]")).ToBeVisibleAsync();
            await Expect(item.Locator("[data-time]")).ToHaveTextAsync("14:30");

            await page.ReloadAsync();
            await Expect(page.Locator($"[data-date='{thursday:yyyy-MM-dd}'][data-hour='14'] [data-task-id='{task.Id}']")).ToBeVisibleAsync();
            var saved = await TasksData.ReloadAsync(app.Services, task.Id);
            Assert.Equal(TaskTimes.ToInstant(thursday, new TimeOnly(14, 30), Moscow), saved.DueAt);
            Assert.Equal(90, saved.DurationMinutes);
        });

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public Task My_day_the_overview_and_the_calendar_fit_the_screen(int width) =>
        app.RunAsync(nameof(My_day_the_overview_and_the_calendar_fit_the_screen) + width, async page =>
        {
            await SomeTasksAsync();
            await BrowserApp.SignInAsync(page, CrmApp.Head);
            var anna = await TasksData.UserAsync(app.Services, CrmApp.Anna);

            await page.GotoAsync("/tasks?user=" + anna.Id);
            await Expect(page.Locator("[data-section='overdue'] .crm-day-row").First).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, $"tasks-my-day-{width}");

            await page.GotoAsync("/tasks/overview");
            await Expect(page.Locator($"[data-user-id='{anna.Id}']")).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, $"tasks-overview-{width}");

            await page.GotoAsync("/tasks/calendar?view=week&user=" + anna.Id);
            await Expect(page.Locator(".crm-cal-item").First).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, $"tasks-calendar-week-{width}");

            await page.GotoAsync("/tasks/calendar?view=month&user=" + anna.Id);
            await Expect(page.Locator(".crm-cal-item").First).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, $"tasks-calendar-month-{width}");

            // Nothing wider than the screen but the week's own scroller.
            var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
            Assert.False(overflow);
        }, width: width);

    /// <summary>A plausible week for Anna (once per fixture): overdue calls, today's meeting, tomorrow's, later ones, one done.</summary>
    private async Task SomeTasksAsync()
    {
        var db = app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<TasksDbContext>();
        if (await db.Tasks.AnyAsync(t => t.Title == "Перезвонить ООО «Ромашка»"))
        {
            return;
        }

        var today = TaskTimes.Today(DateTimeOffset.UtcNow, Moscow);
        DateTimeOffset At(int days, int hour, int minute = 0) => TaskTimes.ToInstant(today.AddDays(days), new TimeOnly(hour, minute), Moscow);
        await TasksData.CreateAsync(app.Services, CrmApp.Anna, new TaskInput { Title = "Перезвонить ООО «Ромашка»", Kind = TaskKind.Call, Priority = TaskPriority.High, DueAt = At(-1, 11) });
        await TasksData.CreateAsync(app.Services, CrmApp.Anna, new TaskInput { Title = "Отправить КП в «Вектор»", Kind = TaskKind.Email, DueAt = At(-2, 15, 30) });
        await TasksData.CreateAsync(app.Services, CrmApp.Anna, new TaskInput { Title = "Встреча с директором «Альфа-Строй»", Kind = TaskKind.Meeting, DurationMinutes = 120, DueAt = At(0, 14) });
        await TasksData.CreateAsync(app.Services, CrmApp.Anna, new TaskInput { Title = "Подготовить договор", Kind = TaskKind.Todo, AllDay = true, DueAt = At(0, 12) });
        await TasksData.CreateAsync(app.Services, CrmApp.Anna, new TaskInput { Title = "Звонок бухгалтеру «Сигмы»", Kind = TaskKind.Call, DueAt = At(1, 10, 15) });
        await TasksData.CreateAsync(app.Services, CrmApp.Anna, new TaskInput { Title = "Презентация для «Омеги»", Kind = TaskKind.Meeting, DurationMinutes = 60, DueAt = At(1, 16) });
        await TasksData.CreateAsync(app.Services, CrmApp.Anna, new TaskInput { Title = "Проверить оплату счёта", Kind = TaskKind.Todo, DueAt = At(4, 9) });
        for (var i = 0; i < 4; i++)
        {
            await TasksData.CreateAsync(app.Services, CrmApp.Anna, new TaskInput { Title = "Холодный звонок " + (i + 1), Kind = TaskKind.Call, DueAt = At(2, 9 + i) });
        }

        var done = await TasksData.CreateAsync(app.Services, CrmApp.Anna, new TaskInput { Title = "Уточнить реквизиты", Kind = TaskKind.Call, DueAt = At(0, 9) });
        await TasksData.CompleteAsync(app.Services, CrmApp.Anna, done.Id, "Реквизиты получены");
    }

    private static DateOnly Monday(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
