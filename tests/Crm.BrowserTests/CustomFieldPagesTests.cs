using System.Text.RegularExpressions;
using Crm.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

public sealed class CustomFieldPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public Task An_admin_adds_a_list_field_and_a_manager_fills_it_on_a_company() =>
        app.RunAsync(nameof(An_admin_adds_a_list_field_and_a_manager_fills_it_on_a_company), async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Admin);
            await page.GotoAsync("/admin/fields?kind=company");
            await page.GetByRole(AriaRole.Link, new() { Name = "Добавить поле" }).ClickAsync();
            await page.Locator("#Form_Label").FillAsync("Источник клиента");
            await page.Locator("#Form_Type").SelectOptionAsync("List");
            await page.Locator("#Form_Options").FillAsync("Выставка\nРекомендация\nСайт");
            await BrowserApp.KeepScreenshotAsync(page, "custom-field-form");
            await page.GetByRole(AriaRole.Button, new() { Name = "Добавить поле" }).ClickAsync();
            await Expect(page.Locator("[data-field='istochnik_klienta']")).ToContainTextAsync("Выставка");
            await BrowserApp.KeepScreenshotAsync(page, "custom-fields");

            await page.GotoAsync("/companies/new");
            await page.Locator("#Form_Name").FillAsync("ООО «Поле из браузера»");
            await page.Locator("#cf-istochnik_klienta").SelectOptionAsync("Рекомендация");
            await page.SetViewportSizeAsync(375, 900);
            await BrowserApp.KeepScreenshotAsync(page, "company-form-custom-375");
            await page.SetViewportSizeAsync(1280, 900);
            await page.GetByRole(AriaRole.Button, new() { Name = "Создать компанию" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/companies/[0-9a-f-]+$"));
            await Expect(page.Locator("[data-custom-value='istochnik_klienta']")).ToHaveTextAsync("Рекомендация");
            await BrowserApp.KeepScreenshotAsync(page, "company-card-custom");
        });
}
