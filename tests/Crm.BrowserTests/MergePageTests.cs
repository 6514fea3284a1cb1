using System.Text.RegularExpressions;
using Crm.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

public sealed class MergePageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public Task A_manager_merges_a_duplicate_company_from_its_card_and_lands_on_the_survivor() =>
        app.RunAsync(nameof(A_manager_merges_a_duplicate_company_from_its_card_and_lands_on_the_survivor), async page =>
        {
            page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            await CreateCompanyAsync(page, "ООО «Берёзовая роща»", "8 (343) 210-20-30", "Лесозаготовка");
            await CreateCompanyAsync(page, "ООО «Берёзовая роща» (Екатеринбург)", "8 (343) 210-20-30", "");
            await Expect(page.Locator("h1")).ToHaveTextAsync("ООО «Берёзовая роща» (Екатеринбург)");

            await page.GetByRole(AriaRole.Link, new() { Name = "Объединить с…" }).ClickAsync();
            await Expect(page.Locator("#merge-candidate")).ToContainTextAsync("ООО «Берёзовая роща»");
            await page.GetByRole(AriaRole.Button, new() { Name = "Сравнить" }).First.ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Объединение компаний");
            await Expect(page.Locator("input[name='Take[Industry]']:checked + label")).ToContainTextAsync("Лесозаготовка");
            await BrowserApp.KeepScreenshotAsync(page, "company-merge");

            await page.SetViewportSizeAsync(375, 740);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"The merge page is {overflow} px wider than the screen.");
            await BrowserApp.KeepScreenshotAsync(page, "company-merge-375");
            await page.SetViewportSizeAsync(1280, 900);

            // Keep the older record, under the longer name of the newer one.
            await page.Locator("input[name='Survivor']").Nth(1).CheckAsync();
            await page.Locator("input[name='Take[Name]']").Nth(0).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Объединить записи" }).ClickAsync();

            await Expect(page.Locator("h1")).ToHaveTextAsync("ООО «Берёзовая роща» (Екатеринбург)");
            await Expect(page.Locator(".crm-card-fields")).ToContainTextAsync("Лесозаготовка");
            await Expect(page.Locator(".crm-timeline")).ToContainTextAsync("Объединено с");
            await BrowserApp.KeepScreenshotAsync(page, "company-merged");
        });

    private static async Task CreateCompanyAsync(IPage page, string name, string phone, string industry)
    {
        await page.GotoAsync("/companies/new");
        await page.Locator("#Form_Name").FillAsync(name);
        await page.Locator("#Form_Phones").FillAsync(phone);
        await page.Locator("#Form_Industry").FillAsync(industry);
        await page.GetByRole(AriaRole.Button, new() { Name = "Создать компанию" }).ClickAsync();
        var anyway = page.GetByRole(AriaRole.Button, new() { Name = "Это другая запись — сохранить всё равно" });
        await Expect(page.Locator("h1")).ToHaveTextAsync(new Regex(Regex.Escape(name) + "|Новая компания"));
        if (await anyway.IsVisibleAsync())
        {
            await anyway.ClickAsync();
        }

        await Expect(page).ToHaveURLAsync(new Regex("/companies/[0-9a-f-]{36}$"));
    }
}
