using System.Text.RegularExpressions;
using Crm.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

public sealed class ImportPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public Task A_manager_imports_a_small_file_through_the_mapping_step_and_sees_the_result() =>
        app.RunAsync(nameof(A_manager_imports_a_small_file_through_the_mapping_step_and_sees_the_result), async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            await page.GotoAsync("/companies");
            await page.Locator("a[href='/imports/new?kind=companies']").ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Импорт из Excel");

            var file = ImportFiles.Xlsx(
            [
                ["Клиенты на ноябрь", null, null, null],
                ["Контрагент", "ИНН", "Телефон", "Отрасль"],
                ["ООО «Импортная Ромашка»", "7707083893", 74951112233L, "Торговля"],
                ["ООО «Без названия»", "123", "", ""],
            ], "A1:D1");
            await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "clients.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = file });
            await page.GetByRole(AriaRole.Button, new() { Name = "Загрузить и сопоставить столбцы" }).ClickAsync();

            await Expect(page.Locator("h1")).ToHaveTextAsync("Сопоставьте столбцы");
            await Expect(page.Locator("#field-1")).ToHaveValueAsync("inn");
            // "Контрагент" is no heading the import knows: the user picks the field.
            await Expect(page.Locator("#field-0")).ToHaveValueAsync("");
            await page.Locator("#field-0").SelectOptionAsync("name");
            await page.GetByRole(AriaRole.Button, new() { Name = "Проверить ещё раз" }).ClickAsync();
            await Expect(page.Locator("[data-preview-row='4'] [data-problem]")).ToContainTextAsync("ИНН");
            await BrowserApp.KeepScreenshotAsync(page, "import-mapping");
            await page.SetViewportSizeAsync(375, 800);
            await BrowserApp.KeepScreenshotAsync(page, "import-mapping-375");
            await page.SetViewportSizeAsync(1280, 900);

            await page.GetByRole(AriaRole.Button, new() { Name = "Начать импорт" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/imports/[0-9a-f-]+$"));
            await Expect(page.Locator("#import-progress")).ToHaveAttributeAsync("data-status", "Done", new() { Timeout = 30_000 });
            await Expect(page.Locator("[data-count='imported']")).ToHaveTextAsync("1");
            await Expect(page.Locator("[data-count='rejected']")).ToHaveTextAsync("1");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Скачать отклонённые строки (.xlsx)" })).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "import-result");

            await page.GetByRole(AriaRole.Link, new() { Name = "Открыть список" }).ClickAsync();
            await page.Locator("#list-q").FillAsync("Импортная Ромашка");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#rows")).ToContainTextAsync("ООО «Импортная Ромашка»");
        });
}
