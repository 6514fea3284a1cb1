using System.Text.RegularExpressions;
using Crm.Testing;
using Crm.Testing.Mail;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

/// <summary>Writing a mail from a deal card with a template: queued, sent by the job to a real SMTP server, shown on the card as sent.</summary>
public sealed class MailComposeTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public Task A_manager_sends_a_template_mail_from_a_deal_card_and_sees_it_sent_on_the_timeline() =>
        app.RunAsync(nameof(A_manager_sends_a_template_mail_from_a_deal_card_and_sees_it_sent_on_the_timeline), async page =>
        {
            await using var smtp = await SmtpSink.StartAsync();
            await MailData.AccountAsync(app.Services, smtp.Port, isDefault: true);
            var deal = await DealsData.CreateAsync(app.Services, CrmApp.Anna, configure: d => d.Amount = 240_000m);
            await BrowserApp.SignInAsync(page, CrmApp.Anna);

            await page.GotoAsync("/deals/" + deal.Id);
            await page.Locator("[data-mail-compose-link]").ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Новое письмо");
            await page.Locator("#template").SelectOptionAsync(new SelectOptionValue { Label = "Коммерческое предложение" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Подставить шаблон" }).ClickAsync();
            await Expect(page.Locator("#Form_Subject")).ToHaveValueAsync("Коммерческое предложение: " + deal.Title);
            await Expect(page.Locator("[data-compose-rendered]")).ToContainTextAsync(deal.Title);
            await page.Locator("#Form_To").FillAsync("buyer@client.example");
            await BrowserApp.KeepScreenshotAsync(page, "mail-compose");

            await page.GetByRole(AriaRole.Button, new() { Name = "Отправить" }).ClickAsync();
            await page.WaitForURLAsync(new Regex("/deals/" + deal.Id + "$"));
            var received = await smtp.WaitForAsync(m => m.Subject == "Коммерческое предложение: " + deal.Title);
            Assert.Equal(["buyer@client.example"], received.To);

            // The job runs in the background: the card shows "sent" once it has.
            var line = page.Locator("[data-panel-mail] [data-mail-status]").First;
            for (var i = 0; i < 50 && await line.TextContentAsync() != "отправлено"; i++)
            {
                await Task.Delay(200);
                await page.ReloadAsync();
            }

            await Expect(line).ToHaveTextAsync("отправлено");
            await Expect(page.Locator(".crm-timeline")).ToContainTextAsync("Письмо отправлено: Коммерческое предложение: " + deal.Title);
            await BrowserApp.KeepScreenshotAsync(page, "mail-deal-card");

            await page.SetViewportSizeAsync(375, 812);
            await page.ReloadAsync();
            await Expect(page.Locator("[data-panel-mail]")).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "mail-deal-card-375");
            await page.GotoAsync($"/mail/compose?kind=deal&id={deal.Id}&template={await TemplateIdAsync(page, deal.Id)}");
            await Expect(page.Locator("[data-compose-rendered]")).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "mail-compose-375");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "The compose form scrolls sideways at 375 px.");
        });

    [Fact]
    public Task An_admin_previews_a_template_for_a_deal_and_sees_the_account_form() =>
        app.RunAsync(nameof(An_admin_previews_a_template_for_a_deal_and_sees_the_account_form), async page =>
        {
            var deal = await DealsData.CreateAsync(app.Services, CrmApp.Anna, configure: d => d.Amount = 120_000m);
            await BrowserApp.SignInAsync(page, CrmApp.Admin);

            await page.GotoAsync("/admin/mail/templates");
            await page.GetByRole(AriaRole.Link, new() { Name = "Напоминание об оплате" }).ClickAsync();
            await page.Locator("#Form_PreviewDeal").FillAsync(deal.DisplayNumber);
            await page.Locator("[data-template-preview]").ClickAsync();
            await Expect(page.Locator("[data-preview-subject]")).ToHaveTextAsync("Напоминание об оплате по сделке № " + deal.DisplayNumber);
            await Expect(page.Locator("[data-preview-text]")).ToContainTextAsync(deal.Title);
            await BrowserApp.KeepScreenshotAsync(page, "mail-template-preview");

            await page.GotoAsync("/admin/mail/accounts/new");
            await page.GetByRole(AriaRole.Button, new() { Name = "Сохранить" }).ClickAsync();
            await Expect(page.Locator(".field-validation-error").First).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "mail-account-form-errors");

            await page.SetViewportSizeAsync(375, 812);
            await page.GotoAsync("/admin/mail/accounts");
            await BrowserApp.KeepScreenshotAsync(page, "mail-accounts-375");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "The accounts page scrolls sideways at 375 px.");
        });

    private static async Task<string> TemplateIdAsync(IPage page, Guid dealId)
    {
        await page.GotoAsync($"/mail/compose?kind=deal&id={dealId}");
        return await page.Locator("#template option", new() { HasText = "Коммерческое предложение" }).GetAttributeAsync("value") ?? "";
    }
}
