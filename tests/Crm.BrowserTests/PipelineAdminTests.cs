using System.Text.RegularExpressions;
using Crm.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

public sealed class PipelineAdminTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public Task An_admin_creates_a_pipeline_edits_a_stage_and_reorders_stages_by_drag_and_by_the_arrows() =>
        app.RunAsync(nameof(An_admin_creates_a_pipeline_edits_a_stage_and_reorders_stages_by_drag_and_by_the_arrows), async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Admin);
            await page.GotoAsync("/admin/pipelines");
            await page.Locator("#New_Template").SelectOptionAsync("goods");
            await page.Locator("#New_Name").FillAsync("Оптовые продажи");
            await BrowserApp.KeepScreenshotAsync(page, "pipelines");
            await page.GetByRole(AriaRole.Button, new() { Name = "Создать воронку" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/admin/pipelines/[0-9a-f-]+$"));
            var pipelineUrl = new Uri(page.Url).AbsolutePath;

            // Edit the second stage: name, probability, a required field.
            await page.Locator("[data-stage='Коммерческое предложение'] a.fw-semibold").ClickAsync();
            await page.Locator("#Form_Name").FillAsync("КП отправлено");
            await page.Locator("#Form_Probability").FillAsync("30");
            await page.GetByLabel("Источник", new() { Exact = true }).CheckAsync();
            await page.SetViewportSizeAsync(375, 900);
            await BrowserApp.KeepScreenshotAsync(page, "pipeline-stage-form-375");
            await page.SetViewportSizeAsync(1280, 900);
            await page.GetByRole(AriaRole.Button, new() { Name = "Сохранить" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(pipelineUrl) + "$"));
            var stage = page.Locator("[data-stage='КП отправлено']");
            await Expect(stage).ToContainTextAsync("30%");
            await Expect(stage).ToContainTextAsync("Источник");

            // Drag "Переговоры" (third) above the first stage by its handle.
            var names = page.Locator("[data-sortable] > [data-id]");
            await page.Locator("[data-stage='Переговоры'] [data-drag-handle]").DragToAsync(page.Locator("[data-stage='Первичный интерес'] [data-drag-handle]"));
            await Expect(page.Locator("[data-sortable-status]")).ToHaveTextAsync("Порядок сохранён.");
            await page.ReloadAsync();
            await Expect(names.First).ToHaveAttributeAsync("data-stage", "Переговоры");
            await BrowserApp.KeepScreenshotAsync(page, "pipeline-stages");

            // Without a mouse: the arrow moves "Первичный интерес" back to the top.
            await page.GetByRole(AriaRole.Button, new() { Name = "Переместить «Первичный интерес» выше" }).ClickAsync();
            await Expect(names.First).ToHaveAttributeAsync("data-stage", "Первичный интерес");
            await Expect(names.Nth(1)).ToHaveAttributeAsync("data-stage", "Переговоры");

            await page.SetViewportSizeAsync(375, 900);
            await BrowserApp.KeepScreenshotAsync(page, "pipeline-stages-375");
            await page.GotoAsync("/admin/pipelines");
            await BrowserApp.KeepScreenshotAsync(page, "pipelines-375");
            await page.GotoAsync("/admin/loss-reasons");
            await BrowserApp.KeepScreenshotAsync(page, "loss-reasons-375");
            await page.GotoAsync("/admin/deals-audit");
            await Expect(page.Locator("#audit-rows")).ToContainTextAsync("Оптовые продажи");
            await BrowserApp.KeepScreenshotAsync(page, "deals-audit-375");
            await page.SetViewportSizeAsync(1280, 900);
            await BrowserApp.KeepScreenshotAsync(page, "deals-audit");
            await page.GotoAsync("/admin/loss-reasons");
            await BrowserApp.KeepScreenshotAsync(page, "loss-reasons");
        });
}
