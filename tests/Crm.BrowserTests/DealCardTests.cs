using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

public sealed class DealCardTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public Task A_manager_creates_a_deal_with_two_line_items_and_sees_their_total_on_the_card() =>
        app.RunAsync(nameof(A_manager_creates_a_deal_with_two_line_items_and_sees_their_total_on_the_card), async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            // One of Anna's companies, to find through the picker by the start of its name.
            var companies = await page.APIRequest.GetAsync("/deals/clients?kind=company&q=");
            var company = (await companies.JsonAsync())!.Value.EnumerateArray().First().GetProperty("name").GetString()!;

            await page.GotoAsync("/deals/new");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Новая сделка");
            await page.Locator("#Form_Title").FillAsync("Насосная станция для котельной");
            await page.Locator("#Form_CompanyName").PressSequentiallyAsync(company[..Math.Min(company.Length, 6)]);
            await page.Locator("#company-suggestions .crm-picker-option", new() { HasText = company }).First.ClickAsync();
            await Expect(page.Locator("#Form_CompanyName")).ToHaveValueAsync(company);

            var rows = page.Locator("[data-item-row]");
            await rows.Nth(0).Locator("[data-item=name]").FillAsync("Насос циркуляционный");
            await rows.Nth(0).Locator("[data-item=quantity]").FillAsync("2");
            await rows.Nth(0).Locator("[data-item=price]").FillAsync("48 500");
            await page.GetByRole(AriaRole.Button, new() { Name = "Добавить строку" }).ClickAsync();
            await rows.Nth(1).Locator("[data-item=name]").FillAsync("Монтаж");
            await rows.Nth(1).Locator("[data-item=price]").FillAsync("12 000,50");
            await rows.Nth(1).Locator("[data-item=discount]").FillAsync("10");
            await Expect(page.Locator("#Form_Amount")).ToHaveValueAsync(new Regex("^107[ \u00a0\u202f]800,45$"));
            await Expect(page.Locator("#Form_Amount")).ToHaveAttributeAsync("readonly", "");
            await BrowserApp.KeepScreenshotAsync(page, "deal-form");

            await page.GetByRole(AriaRole.Button, new() { Name = "Создать сделку" }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Насосная станция для котельной");
            await Expect(page.Locator("[data-deal-amount]")).ToContainTextAsync(new Regex("107\u202f800,45"));
            await Expect(page.Locator("[data-items-total]")).ToContainTextAsync(new Regex("107\u202f800,45"));
            await Expect(page.Locator(".crm-card-header")).ToContainTextAsync(company);
            await BrowserApp.KeepScreenshotAsync(page, "deal-card");
            var url = page.Url;

            // A move the pipeline's order refuses says why, on the card.
            await page.Locator("#move-stage").SelectOptionAsync(new SelectOptionValue { Index = 3 });
            await page.GetByRole(AriaRole.Button, new() { Name = "Перевести", Exact = true }).ClickAsync();
            await Expect(page.Locator(".crm-stage-problem")).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "deal-card-problem");

            await page.SetViewportSizeAsync(375, 812);
            await page.GotoAsync(url);
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "deal-card-375");
            await page.GotoAsync(url + "/edit");
            await Expect(page.Locator("[data-item-row]")).ToHaveCountAsync(3);
            await BrowserApp.KeepScreenshotAsync(page, "deal-form-375");
            var overflow = await page.EvaluateAsync<string>(
                "() => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.table-responsive, .visually-hidden')).map(e => e.tagName + '.' + e.className).join(', ')");
            Assert.True(overflow.Length == 0, "At 375 px these stick out sideways: " + overflow);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "The edit form scrolls sideways at 375 px.");
        });
}
