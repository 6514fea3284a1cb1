using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Automation.Data;
using Crm.Automation.Domain;
using Crm.Automation.Running;
using Crm.Deals.Contracts;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Moving;
using Crm.SharedKernel.Localization;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Automation;

/// <summary>
/// The run log: the admin page (filters, keyset "show more", retry), the API, the deal's timeline lines and
/// the deal card's panel, and that nobody but an administrator reaches any of it.
/// </summary>
public sealed class RunLogTests(RunLogTests.App app) : IClassFixture<RunLogTests.App>
{
    private const string Page = "/admin/scenarios/runs";

    private readonly DateTimeOffset testStarted = DateTimeOffset.UtcNow;

    public sealed class App : CrmApp, IDisposable
    {
        public MovableClock Clock { get; } = new();

        public ScenarioRunTests.WebhookReceiver Receiver { get; } = new();

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Crm:Jobs:RunServer"] = "true" };

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

        public void Dispose() => Receiver.Dispose();
    }

    [Fact]
    public async Task The_run_log_lists_a_deals_runs_newest_first_and_shows_more_by_keyset()
    {
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna);
        var scenario = await ScenarioAsync();
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        var runs = Enumerable.Range(0, 35).Select(i => Run(scenario, deal.Id, start.AddMinutes(i), RunStates.Succeeded)).ToList();
        await InsertAsync(runs, [Action(runs[^1], RunStates.Succeeded, "Task 1 «Позвонить» set")]);
        var admin = await app.SignInAsync(CrmApp.Admin);

        var first = await admin.GetStringAsync($"{Page}?deal={deal.DisplayNumber}");

        var shown = RunIds(first);
        Assert.Equal(30, shown.Count);
        Assert.Equal(runs[^1].Id, shown[0]);
        Assert.Equal(runs[5].Id, shown[^1]);
        Assert.Contains("Task 1 «Позвонить» set", first, StringComparison.Ordinal);
        Assert.Contains($"href=\"/deals/{deal.Id}\"", first, StringComparison.Ordinal);
        var more = Regex.Match(first, "hx-get=\"(/admin/scenarios/runs\\?[^\"]+)\"").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        Assert.Contains("cursor=", more, StringComparison.Ordinal);

        var request = new HttpRequestMessage(HttpMethod.Get, more);
        request.Headers.Add("HX-Request", "true");
        var second = await (await admin.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Equal(runs.Take(5).Select(r => r.Id).Reverse(), RunIds(second));
        Assert.DoesNotContain("cursor=", second, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_run_log_filters_by_scenario_status_deal_and_period()
    {
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna);
        var other = await DealsData.CreateAsync(app, CrmApp.Ivan);
        var calls = await ScenarioAsync();
        var hooks = await ScenarioAsync();
        var now = DateTimeOffset.UtcNow;
        var oldCall = Run(calls, deal.Id, now.AddDays(-10), RunStates.Succeeded);
        var failedHook = Run(hooks, deal.Id, now.AddMinutes(-5), RunStates.Failed);
        var otherCall = Run(calls, other.Id, now.AddMinutes(-4), RunStates.Skipped);
        await InsertAsync([oldCall, failedHook, otherCall], [Action(failedHook, RunStates.Failed, error: "HTTP 500 in 12 ms")]);
        var admin = await app.SignInAsync(CrmApp.Admin);

        Assert.Equal([otherCall.Id, oldCall.Id], RunIds(await admin.GetStringAsync($"{Page}?scenarioId={calls.Id}")));
        Assert.Equal([failedHook.Id], RunIds(await admin.GetStringAsync($"{Page}?scenarioId={hooks.Id}&status=failed")));
        Assert.Empty(RunIds(await admin.GetStringAsync($"{Page}?scenarioId={hooks.Id}&status=succeeded")));
        Assert.Equal([failedHook.Id, oldCall.Id], RunIds(await admin.GetStringAsync($"{Page}?deal={deal.Id}")));
        // The period is in days of the admin's zone, both ends included.
        var moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        var day = TimeZoneInfo.ConvertTime(oldCall.CreatedAt, moscow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([oldCall.Id], RunIds(await admin.GetStringAsync($"{Page}?scenarioId={calls.Id}&from={day}&to={day}")));

        var failed = await admin.GetStringAsync($"{Page}?scenarioId={hooks.Id}");
        Assert.Contains("HTTP 500 in 12 ms", failed, StringComparison.Ordinal);
        Assert.Contains("data-retry", failed, StringComparison.Ordinal);

        // A number nobody has is said next to the field, and finds nothing.
        var unknown = await admin.GetAsync($"{Page}?deal=1999-99999");
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        var html = await unknown.Content.ReadAsStringAsync();
        Assert.Contains("id=\"run-deal-error\"", html, StringComparison.Ordinal);
        Assert.Empty(RunIds(html));
    }

    [Fact]
    public async Task A_webhook_that_keeps_failing_is_failed_on_the_timeline_and_an_admins_retry_sends_it_once_more()
    {
        var pipeline = await DealsData.PipelineAsync(app, 1);
        await DealsData.SetPipelineAsync(app, pipeline.Id, TransitionMode.Free, allowBack: true);
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, 0, 1);
        var scenario = await ScenarioAsync(pipeline.Stages[1],
            new ScenarioAction { Kind = ActionKinds.CreateTask, TaskKind = "call", Text = "Позвонить: {{ deal.title }}", Recipient = RecipientRules.Owner },
            new ScenarioAction { Kind = ActionKinds.Webhook, Url = app.Receiver.Url });
        app.Receiver.Plan(500, 500, 500, 500, 500);

        var moved = await DealsData.MoveAsync(app, CrmApp.Admin, new MoveCommand(deal.Id, pipeline.Stages[1].Id, MoveChannels.Api));
        Assert.True(moved.Succeeded, moved.Message);
        var hook = await WaitAsync(async () => (await ActionsOfAsync(deal.Id)).SingleOrDefault(a => a.Kind == ActionKinds.Webhook && a.Attempts == 1 && a.Status == RunStates.Retrying));
        for (var attempt = 2; attempt <= ActionRunner.MaxAttempts; attempt++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(5));
            await app.WithScopeAsync(services => services.GetRequiredService<AutomationPump>().PumpAsync(CancellationToken.None));
            var expected = attempt;
            await WaitAsync(async () => (await ActionsOfAsync(deal.Id)).SingleOrDefault(a => a.Id == hook.Id && a.Attempts == expected && a.Status != RunStates.Running));
        }

        var failed = (await ActionsOfAsync(deal.Id)).Single(a => a.Id == hook.Id);
        Assert.Equal(RunStates.Failed, failed.Status);
        // The timeline keeps keys with arguments; the card shows them in its reader's language (the admin's Russian).
        Assert.Equal(2, (await TimelineAsync(deal.Id)).Count);
        var timeline = await CardTimelineAsync(await app.SignInAsync(CrmApp.Admin), deal.Id);
        Assert.Contains($"Сценарий «{scenario.Name}»: задача поставлена", timeline, StringComparison.Ordinal);
        Assert.Contains($"Сценарий «{scenario.Name}»: действие «Вызвать вебхук» не выполнено", timeline, StringComparison.Ordinal);
        Assert.Matches("HTTP 500 за \\d+ мс", timeline);
        Assert.Equal(ActionRunner.MaxAttempts, app.Receiver.Received.Count(r => r.Key == hook.Key));

        // The admin retries it from the log: queued again, sent once more with the same key, and the run is done.
        var admin = await app.SignInAsync(CrmApp.Admin);
        var logUrl = $"{Page}?deal={deal.DisplayNumber}";
        var retried = await CrmApp.PostFormAsync(admin, logUrl, $"{Page}/actions/{hook.Id}/retry", new Dictionary<string, string> { ["returnUrl"] = logUrl });
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        Assert.Equal(logUrl, retried.Headers.Location!.OriginalString);
        var done = await WaitAsync(async () => (await ActionsOfAsync(deal.Id)).SingleOrDefault(a => a.Id == hook.Id && a.Status == RunStates.Succeeded));
        Assert.Equal(1, done.Attempts);
        Assert.Equal(ActionRunner.MaxAttempts + 1, app.Receiver.Received.Count(r => r.Key == hook.Key));
        Assert.Single(await app.WithScopeAsync(services => services.GetRequiredService<Crm.Tasks.Data.TasksDbContext>().Tasks.AsNoTracking().Where(t => t.LinkId == deal.Id).ToListAsync()));
        var run = await WaitAsync(() => app.WithScopeAsync(services => services.GetRequiredService<AutomationDbContext>().Runs.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Id == done.RunId && r.Status == RunStates.Succeeded)));
        Assert.NotNull(run.FinishedAt);
        Assert.Contains($"Сценарий «{scenario.Name}»: вебхук вызван", await CardTimelineAsync(admin, deal.Id), StringComparison.Ordinal);

        // A second retry of what succeeded changes nothing and says why.
        var again = await CrmApp.PostFormAsync(admin, logUrl, $"{Page}/actions/{hook.Id}/retry", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(RunStates.Succeeded, (await ActionsOfAsync(deal.Id)).Single(a => a.Id == hook.Id).Status);
        Assert.Equal(ActionRunner.MaxAttempts + 1, app.Receiver.Received.Count(r => r.Key == hook.Key));

        // The deal's card shows its runs to the admin, with the way to the log.
        var card = await admin.GetStringAsync($"/deals/{deal.Id}");
        Assert.Contains($"href=\"{Page}?deal={deal.DisplayNumber}\"", card, StringComparison.Ordinal);
        Assert.Contains($"data-panel-run=\"{run.Id}\"", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_lists_runs_with_their_actions_by_deal_with_a_cursor_and_retries_only_a_failed_action()
    {
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna);
        var scenario = await ScenarioAsync();
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var runs = Enumerable.Range(0, 3).Select(i => Run(scenario, deal.Id, start.AddMinutes(i), i == 2 ? RunStates.Failed : RunStates.Succeeded)).ToList();
        var failed = Action(runs[2], RunStates.Failed, error: "HTTP 502 in 8 ms", definition: new ScenarioAction { Kind = ActionKinds.Webhook, Url = app.Receiver.Url });
        var succeeded = Action(runs[1], RunStates.Succeeded, "HTTP 200 in 5 ms");
        await InsertAsync(runs, [failed, succeeded]);
        var api = await app.ApiClientAsync(CrmApp.Admin);

        var first = await api.GetFromJsonAsync<JsonElement>($"/api/v1/scenario-runs?dealId={deal.DisplayNumber}&limit=2");
        var items = first.GetProperty("items");
        Assert.Equal([runs[2].Id, runs[1].Id], items.EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal("failed", items[0].GetProperty("status").GetString());
        Assert.Equal(deal.DisplayNumber, items[0].GetProperty("dealNumber").GetString());
        Assert.Equal("HTTP 502 in 8 ms", items[0].GetProperty("actions")[0].GetProperty("error").GetString());
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await api.GetFromJsonAsync<JsonElement>($"/api/v1/scenario-runs?dealId={deal.Id}&limit=2&cursor={cursor}");
        Assert.Equal([runs[0].Id], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        var byStatus = await api.GetFromJsonAsync<JsonElement>($"/api/v1/scenario-runs?scenarioId={scenario.Id}&status=failed");
        Assert.Equal([runs[2].Id], byStatus.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));

        var badStatus = await api.GetAsync("/api/v1/scenario-runs?status=lost");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.True((await badStatus.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("status", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/scenario-runs?cursor=nonsense")).StatusCode);
        var badDeal = await api.GetAsync("/api/v1/scenario-runs?dealId=1999-99999");
        Assert.True((await badDeal.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("dealId", out _));

        var notFailed = await api.PostAsync($"/api/v1/scenario-runs/actions/{succeeded.Id}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, notFailed.StatusCode);
        Assert.Equal("application/problem+json", notFailed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"/api/v1/scenario-runs/actions/{Guid.NewGuid()}/retry", null)).StatusCode);

        var retried = await api.PostAsync($"/api/v1/scenario-runs/actions/{failed.Id}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Contains((await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString(), new[] { "queued", "running", "succeeded" });
        var done = await WaitAsync(async () => (await ActionsOfAsync(deal.Id)).SingleOrDefault(a => a.Id == failed.Id && a.Status == RunStates.Succeeded));
        Assert.Single(app.Receiver.Received, r => r.Key == done.Key);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/api/v1/scenario-runs/actions/{failed.Id}/retry", null)).StatusCode);
    }

    [Fact]
    public async Task Outcomes_and_notes_are_shown_in_the_readers_language_and_rows_from_before_as_they_were_written()
    {
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna);
        var scenario = await ScenarioAsync();
        var now = DateTimeOffset.UtcNow;
        var skipped = Run(scenario, deal.Id, now.AddMinutes(-3), RunStates.Skipped);
        skipped.Note = new StoredText(TextKey.Of("Condition not met: {0} {1} {2}"), "deal.amount", new StoredText("greater than"), "100000").Store();
        var failedRun = Run(scenario, deal.Id, now.AddMinutes(-2), RunStates.Failed);
        var taskId = Guid.NewGuid();
        var done = Action(failedRun, RunStates.Succeeded, new StoredText("Task {0} «{1}» set", taskId.ToString(), "Позвонить").Store());
        // An outside message (the network stack's) stays as it came, inside the translated sentence.
        var failed = Action(failedRun, RunStates.Failed, error: new StoredText("No answer ({0}: {1}) after {2} ms", "HttpRequestException", "Connection refused (localhost:1)", 35).Store(),
            definition: new ScenarioAction { Kind = ActionKinds.Webhook, Url = "http://localhost:1/" });
        failed.Position = 1;
        failed.Key = ScenarioRunner.ActionKey(failedRun.Id, 1);
        var oldRun = Run(scenario, deal.Id, now.AddMinutes(-1), RunStates.Failed);
        var old = Action(oldRun, RunStates.Failed, error: "HTTP 500 in 12 ms");
        await InsertAsync([skipped, failedRun, oldRun], [done, failed, old]);

        // The log page, for the admin who reads Russian.
        var admin = await app.SignInAsync(CrmApp.Admin);
        var page = await admin.GetStringAsync($"{Page}?deal={deal.Id}");
        Assert.Contains("Условие не выполнено: deal.amount больше 100000", page, StringComparison.Ordinal);
        Assert.Contains($"Задача {taskId} «Позвонить» поставлена", page, StringComparison.Ordinal);
        Assert.Contains("Нет ответа (HttpRequestException: Connection refused (localhost:1)) за 35 мс", page, StringComparison.Ordinal);
        Assert.Contains("HTTP 500 in 12 ms", page, StringComparison.Ordinal);
        Assert.DoesNotContain("{&quot;key&quot;", page, StringComparison.Ordinal);

        // The deal card's panel says why a run was skipped or failed, in Russian too.
        var card = await admin.GetStringAsync($"/deals/{deal.Id}");
        Assert.Contains("data-panel-note>Условие не выполнено: deal.amount больше 100000<", card, StringComparison.Ordinal);

        // The API in the caller's language.
        var english = await (await app.ApiClientAsync(CrmApp.Admin, "en")).GetFromJsonAsync<JsonElement>($"/api/v1/scenario-runs?dealId={deal.Id}");
        var russian = await (await app.ApiClientAsync(CrmApp.Admin, "ru")).GetFromJsonAsync<JsonElement>($"/api/v1/scenario-runs?dealId={deal.Id}");
        JsonElement Item(JsonElement list, ScenarioRun run) => list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == run.Id);
        Assert.Equal("Condition not met: deal.amount greater than 100000", Item(english, skipped).GetProperty("note").GetString());
        Assert.Equal("Условие не выполнено: deal.amount больше 100000", Item(russian, skipped).GetProperty("note").GetString());
        Assert.Equal($"Task {taskId} «Позвонить» set", Item(english, failedRun).GetProperty("actions")[0].GetProperty("outcome").GetString());
        Assert.Equal("No answer (HttpRequestException: Connection refused (localhost:1)) after 35 ms", Item(english, failedRun).GetProperty("actions")[1].GetProperty("error").GetString());
        Assert.Equal("HTTP 500 in 12 ms", Item(russian, oldRun).GetProperty("actions")[0].GetProperty("error").GetString());

        // The deal's timeline line: kept as keys, read by the Russian admin in Russian and by an English owner in English.
        await app.WithScopeAsync(services => services.GetRequiredService<RunTimeline>().TellAsync(failedRun, failed, null, CancellationToken.None));
        var russianLine = await CardTimelineAsync(admin, deal.Id);
        Assert.Contains($"Сценарий «{scenario.Name}»: действие «Вызвать вебхук» не выполнено", russianLine, StringComparison.Ordinal);
        Assert.Contains("Нет ответа (HttpRequestException: Connection refused (localhost:1)) за 35 мс", russianLine, StringComparison.Ordinal);
        var anna = await app.SignInAsync(CrmApp.Anna);
        var annaUser = await DealsData.UserAsync(app, CrmApp.Anna);
        await SetCultureAsync(anna, annaUser.FullName, "en");
        try
        {
            var englishLine = await CardTimelineAsync(anna, deal.Id);
            Assert.Contains($"Scenario «{scenario.Name}»: action «Call a webhook» failed", englishLine, StringComparison.Ordinal);
            Assert.Contains("No answer (HttpRequestException: Connection refused (localhost:1)) after 35 ms", englishLine, StringComparison.Ordinal);
        }
        finally
        {
            await SetCultureAsync(anna, annaUser.FullName, "ru");
        }
    }

    private static async Task SetCultureAsync(HttpClient client, string fullName, string culture) =>
        Assert.Equal(HttpStatusCode.Redirect, (await CrmApp.PostFormAsync(client, "/profile", "/profile", new Dictionary<string, string>
        {
            ["Profile.FullName"] = fullName,
            ["Profile.Culture"] = culture,
            ["Profile.TimeZoneId"] = "Europe/Moscow",
        })).StatusCode);

    [Fact]
    public async Task A_retry_that_loses_to_another_admins_retry_is_told_the_action_is_no_longer_failed_not_a_500()
    {
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna);
        var scenario = await ScenarioAsync();
        var run = Run(scenario, deal.Id, DateTimeOffset.UtcNow, RunStates.Failed);
        var failed = Action(run, RunStates.Failed, error: "HTTP 500");
        await InsertAsync([run], [failed]);

        // The loser read the action while it was failed; the winner's retry changed its version before the loser's save.
        await app.WithScopeAsync(async loser =>
        {
            await loser.GetRequiredService<AutomationDbContext>().ActionRuns.SingleAsync(a => a.Id == failed.Id);
            Assert.True(await app.WithScopeAsync(winner => winner.GetRequiredService<ActionRunner>().RetryAsync(failed.Id, CancellationToken.None)));

            Assert.False(await loser.GetRequiredService<ActionRunner>().RetryAsync(failed.Id, CancellationToken.None));
        });
        await WaitAsync(async () => (await ActionsOfAsync(deal.Id)).SingleOrDefault(a => a.Id == failed.Id && a.Status == RunStates.Succeeded));
    }

    [Fact]
    public async Task Two_admins_retrying_a_failed_action_at_once_queue_it_once_and_the_other_gets_409()
    {
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna);
        var scenario = await ScenarioAsync();
        var runs = Enumerable.Range(0, 5).Select(i => Run(scenario, deal.Id, DateTimeOffset.UtcNow.AddSeconds(i), RunStates.Failed)).ToList();
        var actions = runs.Select(r => Action(r, RunStates.Failed, error: "HTTP 500")).ToList();
        await InsertAsync(runs, actions);
        var first = await app.ApiClientAsync(CrmApp.Admin);
        var second = await app.ApiClientAsync(CrmApp.Admin);

        foreach (var action in actions)
        {
            var answers = await Task.WhenAll(
                first.PostAsync($"/api/v1/scenario-runs/actions/{action.Id}/retry", null),
                second.PostAsync($"/api/v1/scenario-runs/actions/{action.Id}/retry", null));

            Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
            var refusal = answers.Single(a => a.StatusCode == HttpStatusCode.Conflict);
            Assert.Equal("application/problem+json", refusal.Content.Headers.ContentType?.MediaType);
        }

        // The page's loser is told the same, on the log, by a redirect with a message (never a 500).
        var admin = await app.SignInAsync(CrmApp.Admin);
        var again = await CrmApp.PostFormAsync(admin, Page, $"{Page}/actions/{actions[0].Id}/retry", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
    }

    [Fact]
    public async Task Nobody_but_an_administrator_sees_the_log_retries_or_reads_the_api()
    {
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna);
        var scenario = await ScenarioAsync();
        var run = Run(scenario, deal.Id, DateTimeOffset.UtcNow, RunStates.Failed);
        var failed = Action(run, RunStates.Failed, error: "HTTP 500");
        await InsertAsync([run], [failed]);

        foreach (var email in new[] { CrmApp.Anna, CrmApp.Head })
        {
            var client = await app.SignInAsync(email);
            var page = await client.GetAsync(Page);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("/account/denied", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

            var retry = await CrmApp.PostFormAsync(client, "/tasks", $"{Page}/actions/{failed.Id}/retry", new Dictionary<string, string>());
            Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
            Assert.StartsWith("/account/denied", retry.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

            // The deal's card has no Scenarios panel for them.
            Assert.DoesNotContain("data-runs-log", await client.GetStringAsync($"/deals/{deal.Id}"), StringComparison.Ordinal);

            var api = await app.ApiClientAsync(email);
            var list = await api.GetAsync($"/api/v1/scenario-runs?dealId={deal.Id}");
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
            Assert.Equal("application/problem+json", list.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"/api/v1/scenario-runs/actions/{failed.Id}/retry", null)).StatusCode);
        }

        Assert.Equal(RunStates.Failed, (await ActionsOfAsync(deal.Id)).Single().Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/scenario-runs")).StatusCode);
    }

    private static List<Guid> RunIds(string html) =>
        Regex.Matches(html, "data-run=\"([0-9a-f-]{36})\"").Select(m => Guid.Parse(m.Groups[1].Value)).ToList();

    private static ScenarioRun Run(Scenario scenario, Guid dealId, DateTimeOffset at, string status) => new()
    {
        Id = Guid.CreateVersion7(),
        ScenarioId = scenario.Id,
        ScenarioName = scenario.Name,
        EventId = Guid.NewGuid(),
        Trigger = TriggerKinds.StageEntered,
        RecordId = dealId,
        DealId = dealId,
        StageId = Guid.NewGuid(),
        Status = status,
        TriggeredAt = at,
        CreatedAt = at,
        FinishedAt = status is RunStates.Queued or RunStates.Running ? null : at.AddSeconds(2),
    };

    private static ActionRun Action(ScenarioRun run, string status, string? outcome = null, string? error = null, ScenarioAction? definition = null)
    {
        definition ??= new ScenarioAction { Kind = ActionKinds.Notify, Text = "Hello", Recipient = RecipientRules.Owner };
        return new ActionRun
        {
            Id = Guid.CreateVersion7(),
            RunId = run.Id,
            RecordId = run.RecordId,
            DealId = run.DealId,
            Position = 0,
            Key = ScenarioRunner.ActionKey(run.Id, 0),
            Kind = definition.Kind,
            Definition = definition,
            Status = status,
            Attempts = status == RunStates.Failed ? ActionRunner.MaxAttempts : 1,
            DueAt = run.CreatedAt,
            StartedAt = run.CreatedAt.AddSeconds(1),
            FinishedAt = run.CreatedAt.AddSeconds(2),
            Outcome = outcome,
            Error = error,
        };
    }

    private Task InsertAsync(IEnumerable<ScenarioRun> runs, IEnumerable<ActionRun> actions) =>
        app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<AutomationDbContext>();
            db.Runs.AddRange(runs);
            db.ActionRuns.AddRange(actions);
            await db.SaveChangesAsync();
        });

    /// <summary>An active scenario (only this test's: the earlier ones are switched off) run as the admin.</summary>
    private async Task<Scenario> ScenarioAsync(Stage? stage = null, params ScenarioAction[] actions)
    {
        var admin = await DealsData.UserAsync(app, CrmApp.Admin);
        var scenario = new Scenario
        {
            Id = Guid.CreateVersion7(),
            Name = "Log " + Guid.NewGuid().ToString("N")[..6],
            Trigger = TriggerKinds.StageEntered,
            PipelineId = stage?.PipelineId,
            StageId = stage?.Id ?? Guid.NewGuid(),
            Actions = [.. actions],
            RunAsUserId = admin.Id,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<AutomationDbContext>();
            await db.Scenarios.Where(s => s.CreatedAt < testStarted).ExecuteUpdateAsync(s => s.SetProperty(x => x.IsActive, false));
            db.Scenarios.Add(scenario);
            await db.SaveChangesAsync();
        });
        return scenario;
    }

    private Task<List<ActionRun>> ActionsOfAsync(Guid dealId) =>
        app.WithScopeAsync(services => services.GetRequiredService<AutomationDbContext>().ActionRuns.AsNoTracking().Where(a => a.DealId == dealId).OrderBy(a => a.Position).ToListAsync());

    /// <summary>The timeline part of the deal's card as the client's user reads it.</summary>
    private static async Task<string> CardTimelineAsync(HttpClient client, Guid dealId)
    {
        var card = await client.GetStringAsync($"/deals/{dealId}");
        var start = card.IndexOf("crm-timeline\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "The card has no timeline.");
        return card[start..card.IndexOf("</ol>", start, StringComparison.Ordinal)];
    }

    private Task<List<DealTimelineEntry>> TimelineAsync(Guid dealId) =>
        app.WithScopeAsync(services => services.GetRequiredService<DealsDbContext>().Timeline.AsNoTracking().Where(e => e.DealId == dealId && e.Kind == "scenario").ToListAsync());

    /// <summary>Polls until the jobs got there (the Hangfire server polls its queue every half second).</summary>
    private static async Task<T> WaitAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(40);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < until, "The scenario's jobs did not get there within 40 s.");
            await Task.Delay(200);
        }
    }
}
