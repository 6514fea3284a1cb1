using System.Text.RegularExpressions;
using Crm.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

public sealed class ListColumnsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public Task A_manager_hides_a_column_adds_another_and_sorts_by_a_header() =>
        app.RunAsync(nameof(A_manager_hides_a_column_adds_another_and_sorts_by_a_header), async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            await page.GotoAsync("/companies");
            await Expect(page.Locator("th[data-column='inn']")).ToBeVisibleAsync();

            var chooser = page.Locator("[data-columns]");
            await chooser.Locator("summary").ClickAsync();
            await Expect(chooser.Locator("form")).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "list-columns-chooser");
            await chooser.GetByRole(AriaRole.Checkbox, new() { Name = "ИНН", Exact = true }).UncheckAsync();
            await chooser.GetByRole(AriaRole.Checkbox, new() { Name = "Обновлено", Exact = true }).CheckAsync();
            await chooser.GetByRole(AriaRole.Button, new() { Name = "Применить" }).ClickAsync();

            await Expect(page.Locator("th[data-column='inn']")).ToHaveCountAsync(0);
            await Expect(page.Locator("th[data-column='updated']")).ToBeVisibleAsync();
            await chooser.GetByRole(AriaRole.Button, new() { Name = "Переместить «Обновлено» выше" }).ClickAsync();
            await Expect(page.Locator("thead th[data-column]").Nth(3)).ToHaveAttributeAsync("data-column", "updated");

            await page.Locator("th[data-column='name'] a").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("sort=-name"));
            await Expect(page.Locator("th[data-column='name']")).ToHaveAttributeAsync("aria-sort", "descending");
            await page.Locator("th[data-column='updated'] a").ClickAsync();
            await Expect(page.Locator("th[data-column='updated']")).ToHaveAttributeAsync("aria-sort", "descending");
            await BrowserApp.KeepScreenshotAsync(page, "list-columns-sorted");
            await KeepViewportAsync(page, "list-columns-sorted-top");

            // Remembered: the next visit has the same columns and sort.
            await page.GotoAsync("/companies");
            await Expect(page.Locator("th[data-column='updated']")).ToHaveAttributeAsync("aria-sort", "descending");
            await Expect(page.Locator("th[data-column='inn']")).ToHaveCountAsync(0);
        });

    [Fact]
    public Task The_chooser_and_the_filters_fit_a_375_px_screen() =>
        app.RunAsync(nameof(The_chooser_and_the_filters_fit_a_375_px_screen), async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Ivan);
            await page.GotoAsync("/leads?createdFrom=2026-99-01");
            await Expect(page.Locator("#list-createdFrom.is-invalid")).ToBeVisibleAsync();
            var chooser = page.Locator("[data-columns]");
            await chooser.Locator("summary").ClickAsync();
            var panel = await chooser.Locator("form").BoundingBoxAsync();
            Assert.NotNull(panel);
            Assert.True(panel.X >= 0 && panel.X + panel.Width <= 375, $"The chooser spans {panel.X}..{panel.X + panel.Width} px.");
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"The list is {overflow} px wider than the screen.");
            await BrowserApp.KeepScreenshotAsync(page, "list-columns-375");
            await KeepViewportAsync(page, "list-columns-375-top");

            await chooser.GetByRole(AriaRole.Checkbox, new() { Name = "Создан", Exact = true }).CheckAsync();
            await chooser.GetByRole(AriaRole.Button, new() { Name = "Применить" }).ClickAsync();
            await Expect(page.Locator("th[data-column='created']")).ToHaveCountAsync(1);
            await BrowserApp.KeepScreenshotAsync(page, "list-columns-375-applied");
            await KeepViewportAsync(page, "list-columns-375-applied-top");
        }, width: 375, height: 740);

    /// <summary>What the screen shows first (the full-page shots of a long list are hard to read).</summary>
    private static async Task KeepViewportAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "artifacts", "screens", name + ".png") });
}
