using System.Text.RegularExpressions;
using Crm.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

public sealed class ClientPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public Task A_manager_creates_a_company_with_a_contact_and_finds_it_from_the_header_search() =>
        app.RunAsync(nameof(A_manager_creates_a_company_with_a_contact_and_finds_it_from_the_header_search), async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            await page.Locator("#sidebar").GetByRole(AriaRole.Link, new() { Name = "Компании" }).ClickAsync();
            await Expect(page.Locator("h1")).ToContainTextAsync("Компании");
            await BrowserApp.KeepScreenshotAsync(page, "companies-list");
            await Expect(page.Locator("[data-bulk-bar]")).ToBeHiddenAsync();
            await page.Locator("[data-bulk-item]").Nth(0).CheckAsync();
            await page.Locator("[data-bulk-item]").Nth(1).CheckAsync();
            await Expect(page.Locator("[data-bulk-bar]")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-bulk-count]")).ToHaveTextAsync("Выбрано: 2");
            await BrowserApp.KeepScreenshotAsync(page, "companies-bulk");
            await page.Locator("[data-bulk-all]").CheckAsync();
            await Expect(page.Locator("[data-bulk-count]")).ToHaveTextAsync(new Regex("Выбрано: [0-9]{2}"));
            await page.Locator("[data-bulk-all]").UncheckAsync();
            await Expect(page.Locator("[data-bulk-bar]")).ToBeHiddenAsync();

            await page.GetByRole(AriaRole.Link, new() { Name = "Новая компания" }).First.ClickAsync();
            await page.Locator("#Form_Name").FillAsync("ООО «Северный ветер»");
            await page.Locator("#Form_Inn").FillAsync("7707083894");
            await page.Locator("#Form_Phones").FillAsync("8 (812) 300-40-50");
            await page.GetByRole(AriaRole.Button, new() { Name = "Создать компанию" }).ClickAsync();
            await Expect(page.Locator("#Form_Inn").Locator("xpath=..").Locator(".field-validation-error"))
                .ToHaveTextAsync("ИНН — 10 или 12 цифр с верным контрольным числом.");
            await BrowserApp.KeepScreenshotAsync(page, "company-form-errors");

            await page.Locator("#Form_Inn").FillAsync("7707083893");
            await page.GetByRole(AriaRole.Button, new() { Name = "Создать компанию" }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("ООО «Северный ветер»");
            await Expect(page.Locator(".crm-key-facts")).ToContainTextAsync("+7 812 300-40-50");

            await page.Locator("#Note_Text").FillAsync("Первый звонок: интересуются поставками в Мурманск.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Добавить заметку" }).ClickAsync();
            await Expect(page.Locator(".crm-timeline")).ToContainTextAsync("интересуются поставками в Мурманск");

            await page.Locator(".crm-card-panels a[href^='/contacts/new']").ClickAsync();
            await page.Locator("#Form_FullName").FillAsync("Мария Белова");
            await page.Locator("#Form_Role").FillAsync("Закупщик");
            await page.Locator("#Form_Emails").FillAsync("m.belova@severny-veter.ru");
            await page.GetByRole(AriaRole.Button, new() { Name = "Создать контакт" }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Мария Белова");
            await Expect(page.Locator(".crm-card-panels")).ToContainTextAsync("ООО «Северный ветер»");
            await BrowserApp.KeepScreenshotAsync(page, "contact-card");

            await page.Locator("#global-search").FillAsync("северный");
            await Expect(page.Locator("#search-suggestions .crm-suggestion").First).ToContainTextAsync("Северный ветер");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page).ToHaveURLAsync(new Regex("/companies/[0-9a-f-]+$"));
            await Expect(page.Locator(".crm-card-panels")).ToContainTextAsync("Мария Белова");
            await BrowserApp.KeepScreenshotAsync(page, "company-card");

            await page.Locator("#global-search").FillAsync("3004050");
            await Expect(page.Locator("#search-suggestions .crm-suggestion").First).ToContainTextAsync("Северный ветер");

            // The same pages in English, from the header switch.
            await page.GotoAsync("/companies");
            await page.Locator("header").GetByRole(AriaRole.Button, new() { Name = "EN" }).ClickAsync();
            await Expect(page.Locator("h1")).ToContainTextAsync("Companies");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "New company" })).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "companies-list-en");
        });

    [Fact]
    public Task A_lead_is_converted_into_a_contact_and_a_company_from_its_card() =>
        app.RunAsync(nameof(A_lead_is_converted_into_a_contact_and_a_company_from_its_card), async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Ivan);
            await page.GotoAsync("/leads/new");
            await page.Locator("#Form_Name").FillAsync("Геннадий Орлов");
            await page.Locator("#Form_CompanyName").FillAsync("ООО «Орлан»");
            await page.Locator("#Form_Phone").FillAsync("+7 921 555-44-33");
            await page.GetByRole(AriaRole.Button, new() { Name = "Создать лид" }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Геннадий Орлов");

            await page.GetByRole(AriaRole.Link, new() { Name = "Конвертировать" }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Конвертация лида");
            await page.Locator("#contact-new").CheckAsync();
            await page.Locator("#company-new").CheckAsync();
            await BrowserApp.KeepScreenshotAsync(page, "lead-convert");
            await page.GetByRole(AriaRole.Button, new() { Name = "Конвертировать" }).ClickAsync();

            await Expect(page.Locator("h1")).ToHaveTextAsync("Геннадий Орлов");
            await Expect(page.Locator(".crm-card-header .badge").First).ToHaveTextAsync("Контакт");
            await Expect(page.Locator(".crm-card-panels")).ToContainTextAsync("ООО «Орлан»");
            await Expect(page.Locator(".crm-timeline")).ToContainTextAsync("Создан из лида Геннадий Орлов");
        });

    [Fact]
    public Task Client_pages_fit_a_375_px_screen() =>
        app.RunAsync(nameof(Client_pages_fit_a_375_px_screen), async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Head);
            foreach (var url in new[] { "/leads", "/companies", "/contacts", "/companies/new", "/leads/new" })
            {
                await page.GotoAsync(url);
                var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                Assert.True(overflow <= 0, $"{url} is {overflow} px wider than the screen.");
                await BrowserApp.KeepScreenshotAsync(page, url.Trim('/').Replace('/', '-') + "-375");
            }

            await page.GotoAsync("/companies");
            await page.Locator("#rows a[href^='/companies/']").First.ClickAsync();
            var cardOverflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(cardOverflow <= 0, $"The company card is {cardOverflow} px wider than the screen.");
            await BrowserApp.KeepScreenshotAsync(page, "company-card-375");
        }, width: 375, height: 740);
}
