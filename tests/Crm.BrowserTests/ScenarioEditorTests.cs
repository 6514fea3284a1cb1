using System.Text.RegularExpressions;
using Crm.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

/// <summary>An admin builds a scenario through the form, finds it in the list and tries it on a deal with a dry run.</summary>
public sealed class ScenarioEditorTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public Task An_admin_builds_a_call_task_and_webhook_scenario_saves_it_and_dry_runs_it_on_a_deal() =>
        app.RunAsync(nameof(An_admin_builds_a_call_task_and_webhook_scenario_saves_it_and_dry_runs_it_on_a_deal), async page =>
        {
            var services = await DealsData.PipelineAsync(app.Services, 1);
            var estimate = services.Stages[2];
            var deal = await DealsData.CreateAsync(app.Services, CrmApp.Anna, 0, 1, d => d.Amount = 180_000m);
            var anna = await DealsData.UserAsync(app.Services, CrmApp.Anna);
            var name = "Смета: звонок и вебхук";
            await BrowserApp.SignInAsync(page, CrmApp.Admin);

            await page.GotoAsync("/admin/scenarios");
            await page.Locator("[data-new-scenario]").ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Новый сценарий");
            await page.Locator("#scenario-name").FillAsync(name);
            await page.Locator("#scenario-pipeline").SelectOptionAsync(services.Id.ToString());
            await page.Locator("#scenario-stage").SelectOptionAsync(estimate.Id.ToString());
            await page.Locator("[data-add-row=Conditions]").ClickAsync();
            await page.Locator("#c0-field").FillAsync("deal.amount");
            await page.Locator("#c0-operator").SelectOptionAsync("gt");
            await page.Locator("#c0-value").FillAsync("100000");
            // The first action is a call for the owner tomorrow at 10 already: it needs its title.
            await Expect(page.Locator("#a0-kind")).ToHaveValueAsync("create_task");
            await Expect(page.Locator("#a0-dueOffset")).ToHaveValueAsync("+1d 10:00");
            await page.Locator("#a0-text").FillAsync("Позвонить по смете: {{ deal.title }}");

            await page.Locator("[data-add-row=Actions]").ClickAsync();
            await page.Locator("#a1-kind").SelectOptionAsync("webhook");
            await Expect(page.Locator("#a1-url")).ToBeVisibleAsync();
            await Expect(page.Locator("#a1-text")).ToBeHiddenAsync();
            await page.Locator("#a1-url").FillAsync("https://hooks.example.com/crm");
            // Up and back down: the rows renumber with their values.
            await page.Locator("[data-action-row]").Nth(1).Locator("[data-row-up]").ClickAsync();
            await Expect(page.Locator("#a0-kind")).ToHaveValueAsync("webhook");
            await page.Locator("[data-action-row]").Nth(0).Locator("[data-row-down]").ClickAsync();
            await Expect(page.Locator("#a1-url")).ToHaveValueAsync("https://hooks.example.com/crm");
            await BrowserApp.KeepScreenshotAsync(page, "scenario-form");

            await page.Locator("[data-save]").ClickAsync();
            await page.WaitForURLAsync(new Regex("/admin/scenarios$"));
            var item = page.Locator("[data-scenario]", new() { HasText = name });
            await Expect(item.Locator("[data-trigger]")).ToContainTextAsync($"Переход на «{estimate.Name}» ({services.Name})");
            await Expect(item.Locator("[data-trigger]")).ToContainTextAsync("Действий: 2 · Условий: 1");
            await BrowserApp.KeepScreenshotAsync(page, "scenario-list");

            await item.Locator("a").First.ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Изменение сценария");
            await page.Locator("#dry-run-deal").FillAsync(deal.DisplayNumber);
            await page.Locator("[data-dry-run]").ClickAsync();
            var lines = page.Locator("[data-dry-run-line]");
            await Expect(lines).ToHaveCountAsync(2);
            await Expect(page.Locator("[data-dry-run-conditions=true]")).ToBeVisibleAsync();
            await Expect(lines.Nth(0)).ToContainTextAsync("Позвонить по смете: " + deal.Title);
            await Expect(lines.Nth(0)).ToContainTextAsync(anna.FullName);
            await Expect(lines.Nth(1)).ToContainTextAsync("https://hooks.example.com/crm");
            await BrowserApp.KeepScreenshotAsync(page, "scenario-dry-run");

            await page.SetViewportSizeAsync(375, 812);
            await page.ReloadAsync();
            await Expect(page.Locator("#a1-url")).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "scenario-form-375");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "The scenario form scrolls sideways at 375 px.");
            await page.GotoAsync("/admin/scenarios");
            await Expect(page.Locator("[data-scenario]", new() { HasText = name })).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "scenario-list-375");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "The scenario list scrolls sideways at 375 px.");
        });

    [Fact]
    public async Task A_lead_created_scenario_hides_the_deal_fields_and_sets_its_task_on_a_lead_made_in_the_form()
    {
        var scenarioName = "Новый лид: звонок " + Guid.NewGuid().ToString("N")[..4];
        var leadName = "Лид из формы " + Guid.NewGuid().ToString("N")[..6];
        await app.RunAsync("scenario-lead-form", async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Admin);
            await page.GotoAsync("/admin/scenarios");
            await page.Locator("[data-new-scenario]").ClickAsync();
            await page.Locator("#scenario-name").FillAsync(scenarioName);
            await page.Locator("#scenario-trigger").SelectOptionAsync("lead_created");
            // A lead has no pipeline, no stage and no deal to dry-run on; moving a stage or setting a deal's field is not offered.
            await Expect(page.Locator("#scenario-pipeline")).ToBeHiddenAsync();
            await Expect(page.Locator("#dry-run-deal")).ToBeHiddenAsync();
            await Expect(page.Locator("#a0-kind option[value=move_stage]")).ToBeDisabledAsync();
            await Expect(page.Locator("#a0-kind option[value=set_field]")).ToBeDisabledAsync();
            await page.Locator("#a0-text").FillAsync("Позвонить лиду {{ lead.name }}");
            await BrowserApp.KeepScreenshotAsync(page, "scenario-form-lead");
            await page.Locator("[data-save]").ClickAsync();
            await page.WaitForURLAsync(new Regex("/admin/scenarios$"));
            await Expect(page.Locator("[data-scenario]", new() { HasText = scenarioName })).ToBeVisibleAsync();
        });

        var leadUrl = "";
        await app.RunAsync("scenario-lead-card", async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            await page.GotoAsync("/leads/new");
            await page.Locator("#Form_Name").FillAsync(leadName);
            await page.Locator("#Form_Phone").FillAsync("+7 921 555-12-34");
            await page.GetByRole(AriaRole.Button, new() { Name = "Создать лид" }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync(leadName);
            leadUrl = new Uri(page.Url).AbsolutePath;

            // The scenario runs in the background (outbox, then Hangfire): the card shows its task once it is set, and
            // the scenario's line on the timeline a moment later, when the action has recorded its outcome.
            var task = "Позвонить лиду " + leadName;
            var line = $"Сценарий «{scenarioName}»: задача поставлена";
            for (var attempt = 0; attempt < 60 && !((await page.Locator(".crm-card-panels").InnerTextAsync()).Contains(task, StringComparison.Ordinal)
                && (await page.Locator(".crm-timeline").InnerTextAsync()).Contains(line, StringComparison.Ordinal)); attempt++)
            {
                await Task.Delay(500);
                await page.ReloadAsync();
            }

            await Expect(page.Locator(".crm-card-panels")).ToContainTextAsync(task);
            await Expect(page.Locator(".crm-timeline")).ToContainTextAsync(line);
            await BrowserApp.KeepScreenshotAsync(page, "lead-card-scenario");
        });

        await app.RunAsync("scenario-lead-run-log", async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Admin);
            await page.GotoAsync("/admin/scenarios/runs?recordKind=lead");
            await Expect(page.Locator($"a[href='{leadUrl}']").First).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "run-log-lead");
        });
    }
}
