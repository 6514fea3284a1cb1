using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Crm.Automation.Data;
using Crm.Automation.Domain;
using Crm.Deals.Domain;
using Crm.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

/// <summary>
/// The story: a scenario "on entering Proposal: a call task for the owner tomorrow, and a webhook";
/// a manager moves the deal on the board, the task appears on the deal's card, and the administrator sees
/// the run in the run log as succeeded (desktop and 375 px).
/// </summary>
public sealed class RunLogTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task A_deal_moved_on_the_board_gets_its_call_task_and_the_run_shows_as_succeeded_in_the_log()
    {
        using var receiver = new Receiver();
        var pipeline = await DealsData.PipelineAsync(app.Services);
        await DealsData.SetPipelineAsync(app.Services, pipeline.Id, TransitionMode.InOrder, allowBack: true);
        var proposal = pipeline.Stages[1];
        var tag = "runlog-" + Guid.NewGuid().ToString("N")[..8];
        var deal = await DealsData.CreateAsync(app.Services, CrmApp.Anna, 0, configure: d => { d.Title = tag + " Поставка ноутбуков"; d.Amount = 380_000m; });
        await ScenarioAsync("Звонок после КП", proposal,
            new ScenarioAction { Kind = ActionKinds.CreateTask, TaskKind = "call", Text = "Позвонить по КП: {{ deal.title }}", Recipient = RecipientRules.Owner, DueOffset = "+1d 10:00" },
            new ScenarioAction { Kind = ActionKinds.Webhook, Url = receiver.Url, Secret = "s3cret" });

        await app.RunAsync("run-log-move", async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            await page.GotoAsync($"/deals/board/{pipeline.Id}?q={tag}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Перевести на другую стадию: " + deal.Title }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = proposal.Name, Exact = true }).ClickAsync();
            await Expect(page.Locator($"#cards-{proposal.Id} [data-deal-id='{deal.Id}']")).ToBeVisibleAsync();

            // The scenario runs in the background: the card shows the task once its job has run.
            await UntilAsync(page, $"/deals/{deal.Id}", "[data-panel-task]");
            await Expect(page.Locator("[data-panel-task]")).ToContainTextAsync("Позвонить по КП: " + deal.Title);
            await Expect(page.Locator("[data-runs-log]")).ToHaveCountAsync(0);
        });

        var log = $"/admin/scenarios/runs?deal={deal.DisplayNumber}";
        await app.RunAsync("run-log-admin", async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Admin);
            await UntilAsync(page, log, "[data-run-status='succeeded']");
            var run = page.Locator("[data-run]");
            await Expect(run).ToHaveCountAsync(1);
            await Expect(run).ToContainTextAsync("Звонок после КП");
            await Expect(run.Locator("[data-status]")).ToHaveTextAsync("Успешно");
            await Expect(run.Locator("[data-action-status='succeeded']")).ToHaveCountAsync(2);
            await Expect(run).ToContainTextAsync("HTTP 200");
            await Expect(run.GetByRole(AriaRole.Link, new() { Name = $"№ {deal.DisplayNumber} {deal.Title}" })).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "run-log");

            // From the deal's card, the admin's Scenarios panel leads to the same log, and the timeline tells the outcome.
            await page.GotoAsync($"/deals/{deal.Id}");
            await Expect(page.Locator(".crm-timeline")).ToContainTextAsync("Сценарий «Звонок после КП»: задача поставлена");
            await Expect(page.Locator(".crm-timeline")).ToContainTextAsync("Сценарий «Звонок после КП»: вебхук вызван");
            await BrowserApp.KeepScreenshotAsync(page, "run-log-deal-card");
            await page.Locator("[data-runs-log]").ClickAsync();
            await Expect(page.Locator("#run-deal")).ToHaveValueAsync(deal.DisplayNumber);
            await Expect(page.Locator("[data-run]")).ToHaveCountAsync(1);
        });

        await app.RunAsync("run-log-375", async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Admin);
            await page.GotoAsync(log);
            await Expect(page.Locator("[data-run-status='succeeded']")).ToHaveCountAsync(1);
            // Nothing wider than the phone's screen.
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The run log scrolls sideways at 375 px.");
            await BrowserApp.KeepScreenshotAsync(page, "run-log-375");
        }, width: 375, height: 812);

        Assert.Equal(1, receiver.Count);
    }

    [Fact]
    public async Task An_admin_retries_a_failed_action_from_the_log_and_sees_it_queued_then_done()
    {
        using var receiver = new Receiver();
        var deal = await DealsData.CreateAsync(app.Services, CrmApp.Anna, 0, configure: d => d.Title = "runlog-retry Поставка серверов");
        var actionId = await FailedWebhookAsync(deal, receiver.Url);

        await app.RunAsync("run-log-retry", async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Admin);
            await page.GotoAsync($"/admin/scenarios/runs?deal={deal.DisplayNumber}");
            var action = page.Locator($"[data-action='{actionId}']");
            await Expect(action.Locator("[data-error]")).ToContainTextAsync("No answer");
            await BrowserApp.KeepScreenshotAsync(page, "run-log-failed");

            await action.Locator("[data-retry]").ClickAsync();
            await Expect(page.Locator("[data-crm-toast]")).ToContainTextAsync("снова в очереди");
            await Expect(page.Locator($"[data-action='{actionId}'] [data-retry]")).ToHaveCountAsync(0);
            await UntilAsync(page, $"/admin/scenarios/runs?deal={deal.DisplayNumber}", $"[data-action='{actionId}'][data-action-status='succeeded']");
            await Expect(page.Locator("[data-run]")).ToHaveAttributeAsync("data-run-status", "succeeded");
        });

        Assert.Equal(1, receiver.Count);
    }

    /// <summary>A run whose webhook failed for good (as after its five attempts against a dead address).</summary>
    private async Task<Guid> FailedWebhookAsync(Deal deal, string url)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
        var admin = await DealsData.UserAsync(app.Services, CrmApp.Admin);
        var now = DateTimeOffset.UtcNow;
        var definition = new ScenarioAction { Kind = ActionKinds.Webhook, Url = url };
        var scenario = new Scenario
        {
            Id = Guid.CreateVersion7(), Name = "Сообщить в склад", Trigger = TriggerKinds.DealWon, IsActive = false,
            Actions = [definition], RunAsUserId = admin.Id, CreatedAt = now, UpdatedAt = now,
        };
        var run = new ScenarioRun
        {
            Id = Guid.CreateVersion7(), ScenarioId = scenario.Id, ScenarioName = scenario.Name, EventId = Guid.NewGuid(), Trigger = TriggerKinds.DealWon,
            RecordId = deal.Id, DealId = deal.Id, StageId = deal.StageId, Status = RunStates.Failed, TriggeredAt = now.AddMinutes(-3), CreatedAt = now.AddMinutes(-3), FinishedAt = now,
        };
        var action = new ActionRun
        {
            Id = Guid.CreateVersion7(), RunId = run.Id, RecordId = deal.Id, DealId = deal.Id, Position = 0, Key = run.Id + ":0", Kind = ActionKinds.Webhook, Definition = definition,
            Status = RunStates.Failed, Attempts = 5, DueAt = now, StartedAt = now.AddSeconds(-1), FinishedAt = now,
            Error = "No answer (HttpRequestException: Connection refused (127.0.0.1:9)) after 3 ms",
        };
        db.Scenarios.Add(scenario);
        db.Runs.Add(run);
        db.ActionRuns.Add(action);
        await db.SaveChangesAsync();
        return action.Id;
    }

    /// <summary>Reloads the page until the selector shows (the scenario's jobs run in the background), for up to 40 s.</summary>
    private static async Task UntilAsync(IPage page, string url, string selector)
    {
        var until = DateTime.UtcNow.AddSeconds(40);
        while (true)
        {
            await page.GotoAsync(url);
            if (await page.Locator(selector).CountAsync() > 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < until, $"{selector} did not show on {url} within 40 s.");
            await Task.Delay(500);
        }
    }

    private async Task ScenarioAsync(string name, Stage stage, params ScenarioAction[] actions)
    {
        var admin = await DealsData.UserAsync(app.Services, CrmApp.Admin);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
        db.Scenarios.Add(new Scenario
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            Trigger = TriggerKinds.StageEntered,
            PipelineId = stage.PipelineId,
            StageId = stage.Id,
            Actions = [.. actions],
            RunAsUserId = admin.Id,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>A webhook receiver on 127.0.0.1 that answers 200 and counts what it got.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly ConcurrentBag<string> keys = [];

        public Receiver()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)socket.LocalEndpoint).Port}/hook/";
            socket.Stop();
            listener.Prefixes.Add(Url);
            listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public int Count => keys.Count;

        public void Dispose() => listener.Close();

        private async Task ServeAsync()
        {
            while (listener.IsListening)
            {
                try
                {
                    var context = await listener.GetContextAsync();
                    keys.Add(context.Request.Headers["Idempotency-Key"] ?? "");
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
            }
        }
    }
}
