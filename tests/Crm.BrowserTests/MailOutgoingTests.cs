using Crm.Mail.Domain;
using Crm.SharedKernel.Access;
using Crm.Testing;
using Crm.Testing.Mail;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

/// <summary>
/// The admins' outgoing mail page: an admin filters the queue to failed mail, retries one (the job sends it
/// to a real SMTP server on 127.0.0.1) and sees it sent; the page at 1280 and at 375 px.
/// </summary>
public sealed class MailOutgoingTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task An_admin_filters_the_outgoing_mail_to_failed_and_retries_one_which_is_then_sent()
    {
        await using var smtp = await SmtpSink.StartAsync();
        var account = await MailData.AccountAsync(app.Services, smtp.Port);
        var deal = await DealsData.CreateAsync(app.Services, CrmApp.Anna, configure: d => d.Title = "Поставка мониторов для бухгалтерии");
        var now = DateTimeOffset.UtcNow;
        var subject = "Счёт № 418 на поставку мониторов";
        await MailData.OutgoingAsync(app.Services, "Коммерческое предложение: " + deal.Title, MailStatus.Sent, now.AddMinutes(-50),
            to: "buyer@client.example", recordKind: EntityKinds.Deal, recordId: deal.Id, accountId: account.Id, originKey: "compose:" + Guid.NewGuid().ToString("N"));
        await MailData.OutgoingAsync(app.Services, "Напоминание о встрече", MailStatus.Queued, now.AddMinutes(-5), to: "office@partner.example");
        var failed = await MailData.OutgoingAsync(app.Services, subject, MailStatus.Failed, now.AddMinutes(-20),
            to: "accounting@client.example, director@client.example", recordKind: EntityKinds.Deal, recordId: deal.Id, accountId: account.Id,
            originKey: Guid.NewGuid() + ":1",
            lastError: "Сервер не принял письмо: 421 4.7.0 Try again later, closing connection. (SmtpException: Service not available, closing transmission channel) после 3 попыток");

        await app.RunAsync("mail-outgoing", async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Admin);
            await page.GotoAsync("/");
            await page.GetByRole(AriaRole.Link, new() { Name = "Исходящие письма" }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Исходящие письма");
            await Expect(page.Locator($"[data-mail='{failed.Id}']")).ToBeVisibleAsync();

            await page.Locator("#outgoing-status").SelectOptionAsync("failed");
            await page.GetByRole(AriaRole.Button, new() { Name = "Применить" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("status=failed"));
            await Expect(page.Locator("[data-mail]:not([data-status='failed'])")).ToHaveCountAsync(0);
            var row = page.Locator($"[data-mail='{failed.Id}']");
            await Expect(row.Locator("[data-mail-status]")).ToHaveTextAsync("не отправлено");
            await Expect(row.Locator("[data-mail-record]")).ToHaveTextAsync($"№ {deal.DisplayNumber} {deal.Title}");
            await Expect(row).ToContainTextAsync("Сценарий");
            await Expect(row.Locator("[data-mail-error] summary")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("после 3 попыток$"));
            Assert.True(await page.EvaluateAsync<bool>("() => { const box = document.querySelector('.crm-outgoing-scroll'); return box.scrollWidth <= box.clientWidth; }"), "The outgoing table scrolls sideways at 1280 px.");
            await BrowserApp.KeepScreenshotAsync(page, "mail-outgoing-failed");

            await row.Locator("[data-mail-retry]").ClickAsync();
            await Expect(page.Locator("[data-crm-toast]")).ToContainTextAsync("снова поставлено в очередь");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("status=failed"));
            await smtp.WaitForAsync(m => m.Subject == subject);

            // The job sends it in the background: the unfiltered list shows it sent once it has.
            var sent = page.Locator($"[data-mail='{failed.Id}'][data-status='sent']");
            for (var i = 0; i < 50 && await sent.CountAsync() == 0; i++)
            {
                await page.GotoAsync("/admin/mail/outgoing");
                await Task.Delay(200);
            }

            await Expect(sent).ToHaveCountAsync(1);
            await Expect(sent.Locator("[data-mail-retry]")).ToHaveCountAsync(0);
            await BrowserApp.KeepScreenshotAsync(page, "mail-outgoing");
        });

        await app.RunAsync("mail-outgoing-375", async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Admin);
            await page.GotoAsync("/admin/mail/outgoing");
            await Expect(page.Locator($"[data-mail='{failed.Id}']")).ToBeVisibleAsync();
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "The outgoing list scrolls sideways at 375 px.");
            await BrowserApp.KeepScreenshotAsync(page, "mail-outgoing-375");
        }, width: 375, height: 812);

        Assert.Single(smtp.Received(), m => m.Subject == subject);
    }
}
