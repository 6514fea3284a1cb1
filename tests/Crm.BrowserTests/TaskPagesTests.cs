using System.Text.RegularExpressions;
using Crm.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

public sealed class TaskPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public Task A_manager_adds_a_meeting_from_a_company_card_and_sees_it_in_the_cards_tasks_panel() =>
        app.RunAsync(nameof(A_manager_adds_a_meeting_from_a_company_card_and_sees_it_in_the_cards_tasks_panel), async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            // One of Anna's companies, as the link picker finds it.
            var found = await page.APIRequest.GetAsync("/tasks/links?kind=company&q=");
            var company = (await found.JsonAsync())!.Value.EnumerateArray().First();
            var companyName = company.GetProperty("name").GetString()!;
            var companyUrl = company.GetProperty("url").GetString()!;
            const string title = "Встреча по продлению договора";

            await page.GotoAsync(companyUrl);
            var panel = page.Locator("[data-card-panel=TasksPanel]");
            await Expect(panel).ToContainTextAsync("Задачи");
            await panel.Locator("[data-tasks-add]").ClickAsync();

            await Expect(page.Locator("h1")).ToHaveTextAsync("Новая задача");
            await Expect(page.Locator("[data-task-link-chip]")).ToContainTextAsync(companyName);
            await page.Locator("#Form_Title").FillAsync(title);
            await Expect(page.Locator("[data-task-duration]")).ToBeHiddenAsync();
            await page.Locator("label[for=Form_Kind_Meeting]").ClickAsync();
            await Expect(page.Locator("[data-task-duration]")).ToBeVisibleAsync();
            await page.Locator("#Form_DurationMinutes").FillAsync("60");
            await page.Locator("#Form_ReminderMinutes").SelectOptionAsync("15");
            await page.Locator("#Form_Priority").SelectOptionAsync("High");
            await page.Locator("#Form_Description").FillAsync("Обсудить условия на следующий год.");
            await page.Locator("#Form_Tags").FillAsync("продление, встреча");
            await BrowserApp.KeepScreenshotAsync(page, "task-form");

            await page.GetByRole(AriaRole.Button, new() { Name = "Создать задачу" }).ClickAsync();
            await page.WaitForURLAsync(new Regex(Regex.Escape(companyUrl) + "$"));
            var line = panel.Locator("[data-panel-task]", new() { HasText = title });
            await Expect(line).ToBeVisibleAsync();
            await Expect(page.Locator(".toast-body")).ToContainTextAsync(title);
            await BrowserApp.KeepScreenshotAsync(page, "task-company-panel");

            await line.Locator("a").ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync(title);
            await Expect(page.Locator(".crm-card-header")).ToContainTextAsync("Встреча");
            await Expect(page.Locator(".crm-card-header")).ToContainTextAsync(companyName);
            await Expect(page.Locator(".crm-card-fields")).ToContainTextAsync("За 15 мин");
            await Expect(page.Locator(".crm-card-fields")).ToContainTextAsync("60 мин");
            await BrowserApp.KeepScreenshotAsync(page, "task-card");
            var taskUrl = page.Url;

            // The same panel on a deal card.
            var deals = await page.APIRequest.GetAsync("/tasks/links?kind=deal&q=");
            await page.GotoAsync((await deals.JsonAsync())!.Value.EnumerateArray().First().GetProperty("url").GetString()!);
            await Expect(page.Locator("[data-card-panel=DealTasksPanel] [data-tasks-add]")).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "task-deal-panel");

            await page.SetViewportSizeAsync(375, 812);
            await page.GotoAsync(taskUrl);
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "task-card-375");
            await AssertNoSidewaysScrollAsync(page, "the task card");

            await page.GotoAsync(companyUrl);
            await Expect(panel.Locator("[data-panel-task]", new() { HasText = title })).ToBeVisibleAsync();
            await panel.ScrollIntoViewIfNeededAsync();
            await BrowserApp.KeepScreenshotAsync(page, "task-company-panel-375");
            await AssertNoSidewaysScrollAsync(page, "the company card");

            // Without a card: the link is chosen with the picker.
            await page.GotoAsync("/tasks/new");
            await page.Locator("#Form_LinkKind").SelectOptionAsync("company");
            await page.Locator("#Form_LinkName").PressSequentiallyAsync(companyName[..Math.Min(companyName.Length, 5)]);
            await page.Locator("#link-suggestions .crm-picker-option", new() { HasText = companyName }).First.ClickAsync();
            await Expect(page.Locator("#Form_LinkName")).ToHaveValueAsync(companyName);
            await Expect(page.Locator("[data-task-link-id]")).ToHaveValueAsync(new Regex("^[0-9a-f-]{36}$"));
            await BrowserApp.KeepScreenshotAsync(page, "task-form-375");
            await AssertNoSidewaysScrollAsync(page, "the task form");
        });

    [Fact]
    public Task A_task_added_from_a_company_card_is_done_in_my_day_with_a_result_and_a_follow_up() =>
        app.RunAsync(nameof(A_task_added_from_a_company_card_is_done_in_my_day_with_a_result_and_a_follow_up), async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            var found = await page.APIRequest.GetAsync("/tasks/links?kind=company&q=");
            var companyUrl = (await found.JsonAsync())!.Value.EnumerateArray().Last().GetProperty("url").GetString()!;
            var title = "Позвонить насчёт счёта " + Guid.NewGuid().ToString("N")[..6];

            // Added from the company card, all day today: under today in my day whatever the hour.
            await page.GotoAsync(companyUrl);
            await page.Locator("[data-card-panel=TasksPanel] [data-tasks-add]").ClickAsync();
            await page.Locator("#Form_Title").FillAsync(title);
            await page.Locator("label[for=Form_Kind_Call]").ClickAsync();
            await page.Locator("#Form_AllDay").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Создать задачу" }).ClickAsync();
            await page.WaitForURLAsync(new Regex(Regex.Escape(companyUrl) + "$"));

            await page.GotoAsync("/tasks");
            var row = page.Locator("[data-section='today'] .crm-day-row", new() { HasText = title });
            await Expect(row).ToBeVisibleAsync();
            await row.Locator("[data-complete]").ClickAsync();
            var dialog = page.Locator("[data-task-modal]");
            await dialog.Locator("#complete-result").FillAsync("Счёт оплатят в пятницу");
            await dialog.Locator("#complete-next").CheckAsync();
            await dialog.Locator("[data-complete-submit]").ClickAsync();
            await Expect(dialog.Locator("[data-completed]")).ToContainTextAsync(title);
            await Expect(page.Locator("[data-section='donetoday'] .crm-day-row", new() { HasText = title })).ToBeVisibleAsync();
            await Expect(page.Locator("[data-section='tomorrow'] .crm-day-row", new() { HasText = "Перезвонить: " + title })).ToBeVisibleAsync();

            // Back on the company: the follow-up is its open task, the result is on its timeline.
            await page.GotoAsync(companyUrl);
            var panel = page.Locator("[data-card-panel=TasksPanel]");
            await Expect(panel.Locator("[data-panel-task]", new() { HasText = "Перезвонить: " + title })).ToBeVisibleAsync();
            await Expect(page.Locator("body")).ToContainTextAsync("Счёт оплатят в пятницу");
            await BrowserApp.KeepScreenshotAsync(page, "task-done-company-card");
        });

    private static async Task AssertNoSidewaysScrollAsync(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<string>(
            "() => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.table-responsive, .visually-hidden')).map(e => e.tagName + '.' + e.className).join(', ')");
        Assert.True(overflow.Length == 0, $"At 375 px these stick out sideways on {what}: " + overflow);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), $"{what} scrolls sideways at 375 px.");
    }
}
