using Crm.Tasks.Contracts;
using Crm.Tasks.Data;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

/// <summary>The bell in the header and the notifications page, as anna uses them, on a desktop and a phone.</summary>
public sealed class NotificationBellTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private async Task<Guid> NotifyAsync(string email, string subject, string link)
    {
        var user = await TasksData.UserAsync(app.Services, email);
        var key = "browser:" + Guid.NewGuid().ToString("N");
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<INotifications>().NotifyAsync([new NotificationWrite(user.Id, "task.reminder", subject, link, key)], CancellationToken.None);
        return await scope.ServiceProvider.GetRequiredService<TasksDbContext>().Notifications.Where(n => n.OnceKey == key).Select(n => n.Id).SingleAsync();
    }

    private async Task<DateTimeOffset?> ReadAtAsync(Guid id)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TasksDbContext>().Notifications.Where(n => n.Id == id).Select(n => n.ReadAt).SingleAsync();
    }

    [Fact]
    public Task The_bell_opens_the_latest_and_opening_one_marks_it_read() =>
        app.RunAsync(nameof(The_bell_opens_the_latest_and_opening_one_marks_it_read), async page =>
        {
            var id = await NotifyAsync(CrmApp.Anna, "Перезвонить в ООО «Ромашка»", "/notifications");
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            await Expect(page.Locator("#notification-badge")).ToBeVisibleAsync();

            await page.Locator("#notification-bell").ClickAsync();
            var item = page.Locator($"#notification-latest [data-notification='{id}']");
            await Expect(item).ToContainTextAsync("Напоминание: Перезвонить в ООО «Ромашка»");
            await BrowserApp.KeepScreenshotAsync(page, "notifications-bell");

            await item.ClickAsync();
            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/notifications$"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
            await Expect(page.Locator($"#notification-{id}")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("crm-unread"));
            Assert.NotNull(await ReadAtAsync(id));
        });

    [Fact]
    public Task The_list_marks_one_read_in_place_on_a_phone() =>
        app.RunAsync(
            nameof(The_list_marks_one_read_in_place_on_a_phone),
            async page =>
            {
                var id = await NotifyAsync(CrmApp.Ivan, "Отправить КП: ООО «Вектор» — длинное название, чтобы проверить перенос строки на телефоне", "/");
                await BrowserApp.SignInAsync(page, CrmApp.Ivan);
                await page.GotoAsync("/notifications");
                var row = page.Locator($"#notification-{id}");
                await Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("crm-unread"));
                await BrowserApp.KeepScreenshotAsync(page, "notifications-list-375");

                await row.Locator("[data-mark-read]").ClickAsync();

                await Expect(page.Locator($"#notification-{id}")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("crm-unread"));
                await Expect(page.Locator($"#notification-{id} [data-mark-read]")).ToHaveCountAsync(0);
                Assert.NotNull(await ReadAtAsync(id));

                await page.Locator("#notification-bell").ClickAsync();
                await Expect(page.Locator($"#notification-latest [data-notification='{id}']")).ToBeVisibleAsync();
                await BrowserApp.KeepScreenshotAsync(page, "notifications-bell-375");
            },
            width: 375,
            height: 800);
}
