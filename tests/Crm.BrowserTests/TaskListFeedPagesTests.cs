using Crm.Clients.Contracts;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Crm.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

/// <summary>The tasks list (filters, overdue in red, show more) and the calendar subscription page, on a desktop and at 375 px.</summary>
public sealed class TaskListFeedPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public Task The_tasks_list_filters_and_shows_overdue_tasks_in_red_on_a_desktop_and_a_phone() =>
        app.RunAsync(nameof(The_tasks_list_filters_and_shows_overdue_tasks_in_red_on_a_desktop_and_a_phone), async page =>
        {
            var now = DateTimeOffset.UtcNow;
            var company = await TasksData.ClientAsync(app.Services, CrmApp.Anna, ClientKind.Company);
            var overdue = await TasksData.CreateAsync(app.Services, CrmApp.Anna, new TaskInput { Title = "Перезвонить по счёту", Kind = TaskKind.Call, DueAt = now.AddHours(-3), Priority = TaskPriority.High, LinkKind = "company", LinkId = company.Id });
            var meeting = await TasksData.CreateAsync(app.Services, CrmApp.Anna, new TaskInput { Title = "Встреча на складе", Kind = TaskKind.Meeting, DueAt = now.AddDays(1), DurationMinutes = 60 });
            await TasksData.CreateAsync(app.Services, CrmApp.Anna, new TaskInput { Title = "Отправить КП", Kind = TaskKind.Email, DueAt = now.AddDays(4) });
            await BrowserApp.SignInAsync(page, CrmApp.Anna);

            await page.GotoAsync("/tasks/list");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Задачи");
            var overdueRow = page.Locator($"[data-task='{overdue.Id}']");
            await Expect(overdueRow).ToBeVisibleAsync();
            await Expect(overdueRow.Locator("td").First).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("text-danger"));
            await Expect(overdueRow.GetByRole(AriaRole.Link, new() { Name = company.Name })).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "tasks-list");

            await page.Locator("#list-kind").SelectOptionAsync("meeting");
            await page.GetByRole(AriaRole.Button, new() { Name = "Применить" }).ClickAsync();
            await Expect(page.Locator($"[data-task='{meeting.Id}']")).ToBeVisibleAsync();
            await Expect(overdueRow).ToHaveCountAsync(0);

            await page.SetViewportSizeAsync(375, 740);
            await page.GotoAsync("/tasks/list");
            await Expect(page.Locator("#task-filters")).ToBeHiddenAsync();
            await Expect(overdueRow).ToBeVisibleAsync();
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 375, $"The page is {width} px wide at 375 px.");
            await BrowserApp.KeepScreenshotAsync(page, "tasks-list-375");
            await page.GetByRole(AriaRole.Button, new() { Name = "Фильтры" }).ClickAsync();
            await Expect(page.Locator("#list-kind")).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "tasks-list-375-filters");
        });

    [Fact]
    public Task A_user_makes_their_calendar_link_and_sees_it_once_with_the_instructions() =>
        app.RunAsync(nameof(A_user_makes_their_calendar_link_and_sees_it_once_with_the_instructions), async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Ivan);
            await page.GotoAsync("/tasks/list");
            await page.GetByRole(AriaRole.Link, new() { Name = "Подписка на календарь" }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Подписка на календарь");

            await page.GetByRole(AriaRole.Button, new() { Name = "Получить ссылку на календарь" }).ClickAsync();
            var url = page.Locator("#feed-url");
            await Expect(url).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("/calendar/[A-Za-z0-9_-]{43}\\.ics$"));
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Копировать" })).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "tasks-feed");

            var feed = await page.APIRequest.GetAsync(await url.TextContentAsync() ?? "");
            Assert.Equal(200, feed.Status);
            Assert.StartsWith("BEGIN:VCALENDAR", await feed.TextAsync(), StringComparison.Ordinal);

            await page.SetViewportSizeAsync(375, 740);
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 375, $"The page is {width} px wide at 375 px.");
            await BrowserApp.KeepScreenshotAsync(page, "tasks-feed-375");

            await page.GotoAsync("/tasks/feed");
            await Expect(page.Locator("#feed-url")).ToHaveCountAsync(0);
            page.Dialog += (_, dialog) => dialog.AcceptAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Отозвать" }).ClickAsync();
            await Expect(page.Locator("[data-feed-state='none']")).ToBeVisibleAsync();
        });
}
