using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Crm.Automation.Data;
using Crm.Automation.Domain;
using Crm.Automation.Running;
using Crm.Deals.Contracts;
using Crm.Deals.Domain;
using Crm.Deals.Moving;
using Crm.Tasks.Data;
using Crm.SharedKernel.Localization;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Automation;

/// <summary>
/// Scenarios end to end with the real Hangfire server: a move writes the trigger to Deals' outbox, the drain
/// hands it over, the run and its actions run as jobs; tasks, notifications, webhooks (a local receiver),
/// conditions, retries with the same idempotency key, chains and the loop stop.
/// </summary>
public sealed class ScenarioRunTests(ScenarioRunTests.App app) : IClassFixture<ScenarioRunTests.App>
{
    // xUnit makes an instance per test: scenarios saved before it are earlier tests' and are switched off.
    private readonly DateTimeOffset testStarted = DateTimeOffset.UtcNow;

    public sealed class App : CrmApp, IDisposable
    {
        public MovableClock Clock { get; } = new();

        public WebhookReceiver Receiver { get; } = new();

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Crm:Jobs:RunServer"] = "true" };

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

        public void Dispose() => Receiver.Dispose();
    }

    /// <summary>A webhook receiver on 127.0.0.1 that keeps every request and answers with the next planned status (then 200).</summary>
    public sealed class WebhookReceiver : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly ConcurrentQueue<int> planned = new();

        public WebhookReceiver()
        {
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}/hook/";
            listener.Prefixes.Add(Url);
            listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public ConcurrentBag<(string Key, string Signature, string Body)> Received { get; } = [];

        public void Plan(params int[] statuses)
        {
            foreach (var status in statuses)
            {
                planned.Enqueue(status);
            }
        }

        public void Dispose() => listener.Close();

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }

        private async Task ServeAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                Received.Add((context.Request.Headers["Idempotency-Key"] ?? "", context.Request.Headers["X-Crm-Signature"] ?? "", body));
                context.Response.StatusCode = planned.TryDequeue(out var status) ? status : 200;
                context.Response.Close();
            }
        }
    }

    [Fact]
    public async Task Entering_a_stage_creates_the_owners_call_task_once_and_calls_the_signed_webhook()
    {
        var (pipeline, deal) = await DealAsync();
        var target = pipeline.Stages[1];
        await ScenarioAsync(target, null,
            new ScenarioAction { Kind = ActionKinds.CreateTask, TaskKind = "call", Text = "Позвонить: {{ deal.title }}", Recipient = RecipientRules.Owner, DueOffset = "+1d 10:00" },
            new ScenarioAction { Kind = ActionKinds.Webhook, Url = app.Receiver.Url, Secret = "s3cret" });

        await MoveAsync(deal, target);

        var actions = await ActionsDoneAsync(deal.Id, 2);
        Assert.All(actions, a => Assert.Equal(RunStates.Succeeded, a.Status));
        var tasks = await TasksOfAsync(deal.Id);
        var task = Assert.Single(tasks);
        Assert.Equal("Позвонить: " + deal.Title, task.Title);
        Assert.Equal(deal.OwnerId, task.AssigneeId);
        var call = Assert.Single(app.Receiver.Received, r => r.Key == actions[1].Key);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("s3cret"u8.ToArray(), Encoding.UTF8.GetBytes(call.Body)));
        Assert.Equal(expected, call.Signature);
        Assert.Contains(deal.Title, call.Body, StringComparison.Ordinal);

        // The action's job again (a retry, a re-delivery): still one task.
        await app.WithScopeAsync(services => services.GetRequiredService<ActionRunner>().RunAsync(actions[0].Id, CancellationToken.None));
        await ResetAsync(actions[0].Id);
        await app.WithScopeAsync(services => services.GetRequiredService<ActionRunner>().RunAsync(actions[0].Id, CancellationToken.None));
        Assert.Single(await TasksOfAsync(deal.Id));
    }

    [Fact]
    public async Task A_webhook_saved_with_a_secret_is_signed_with_it_and_neither_the_scenario_nor_the_runs_copy_holds_it_in_plain()
    {
        var (pipeline, deal) = await DealAsync();
        var target = pipeline.Stages[1];
        var secret = "hook-" + Guid.NewGuid().ToString("N");
        var sealedHook = app.Services.GetRequiredService<WebhookSecrets>()
            .Seal([new ScenarioAction { Kind = ActionKinds.Webhook, Url = app.Receiver.Url, Secret = secret }], [])[0];
        await ScenarioAsync(target, null, sealedHook);

        await MoveAsync(deal, target);

        var action = Assert.Single(await ActionsDoneAsync(deal.Id, 1));
        Assert.Equal(RunStates.Succeeded, action.Status);
        var call = Assert.Single(app.Receiver.Received, r => r.Key == action.Key);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(call.Body))), call.Signature);
        Assert.Null(action.Definition.Secret);
        var definition = await app.WithScopeAsync(s => s.GetRequiredService<AutomationDbContext>().Database
            .SqlQuery<string>($"SELECT definition::text AS \"Value\" FROM automation.action_runs WHERE id = {action.Id}").SingleAsync());
        Assert.DoesNotContain(secret, definition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_secrets_saved_before_are_protected_at_start_up_and_still_sign()
    {
        var (pipeline, _) = await DealAsync();
        var scenario = await ScenarioAsync(pipeline.Stages[3], null, new ScenarioAction { Kind = ActionKinds.Webhook, Url = app.Receiver.Url, Secret = "old-plain" });

        await app.WithScopeAsync(s => s.GetServices<Crm.SharedKernel.Hosting.IModuleDatabase>().Single(m => m.Module == "automation").InitializeAsync(CancellationToken.None));

        var hook = (await app.WithScopeAsync(s => s.GetRequiredService<AutomationDbContext>().Scenarios.AsNoTracking().SingleAsync(x => x.Id == scenario.Id))).Actions[0];
        Assert.Null(hook.Secret);
        Assert.Equal("old-plain", app.Services.GetRequiredService<WebhookSecrets>().Unprotect(hook.SecretCipher!));
    }

    [Fact]
    public async Task A_run_left_running_by_a_crash_after_its_last_action_is_finished_when_the_pump_brings_it_back()
    {
        var (pipeline, deal) = await DealAsync();
        var scenario = await ScenarioAsync(pipeline.Stages[1], null, new ScenarioAction { Kind = ActionKinds.CreateTask, Text = "Once", Recipient = RecipientRules.Owner });
        await MoveAsync(deal, pipeline.Stages[1]);
        var run = await RunFinishedAsync(deal.Id, scenario.Id);
        // The process died after the action's save and before the run's finish.
        await app.WithScopeAsync(services => services.GetRequiredService<AutomationDbContext>().Runs.Where(r => r.Id == run.Id)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.Status, RunStates.Running).SetProperty(x => x.FinishedAt, (DateTimeOffset?)null)));

        await app.WithScopeAsync(services => services.GetRequiredService<ScenarioRunner>().RunAsync(run.Id, CancellationToken.None));

        var again = await app.WithScopeAsync(services => services.GetRequiredService<AutomationDbContext>().Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id));
        Assert.Equal(RunStates.Succeeded, again.Status);
        Assert.NotNull(again.FinishedAt);
        Assert.Single(await TasksOfAsync(deal.Id));
    }

    [Fact]
    public async Task A_condition_that_does_not_hold_skips_the_run_and_does_nothing()
    {
        var (pipeline, deal) = await DealAsync(amount: 1000m);
        var target = pipeline.Stages[1];
        var scenario = await ScenarioAsync(target, [new ScenarioCondition("deal.amount", ConditionOperators.Greater, "100000")],
            new ScenarioAction { Kind = ActionKinds.CreateTask, Text = "Big deal", Recipient = RecipientRules.Owner });

        await MoveAsync(deal, target);

        var run = await RunFinishedAsync(deal.Id, scenario.Id);
        Assert.Equal(RunStates.Skipped, run.Status);
        Assert.Contains("deal.amount", run.Note, StringComparison.Ordinal);
        Assert.Empty(await TasksOfAsync(deal.Id));
    }

    [Fact]
    public async Task A_failing_webhook_is_retried_with_back_off_and_the_same_idempotency_key()
    {
        var (pipeline, deal) = await DealAsync();
        var target = pipeline.Stages[1];
        await ScenarioAsync(target, null, new ScenarioAction { Kind = ActionKinds.Webhook, Url = app.Receiver.Url });
        app.Receiver.Plan(500);

        await MoveAsync(deal, target);

        var action = await WaitAsync(async () => (await ActionsOfAsync(deal.Id)).SingleOrDefault(a => a.Status == RunStates.Retrying));
        // Kept as a key with its arguments, shown in the reader's language.
        var error = StoredText.Read(action.Error);
        Assert.Equal("HTTP {0} in {1} ms", error.Key);
        Assert.Equal(500m, error.Args[0]);
        Assert.Equal(1, action.Attempts);
        // The back-off is 10 s; the pump sends it when due by the app's clock.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.WithScopeAsync(services => services.GetRequiredService<AutomationPump>().PumpAsync(CancellationToken.None));
        var done = await WaitAsync(async () => (await ActionsOfAsync(deal.Id)).SingleOrDefault(a => a.Status == RunStates.Succeeded));

        Assert.Equal(2, done.Attempts);
        var calls = app.Receiver.Received.Where(r => r.Key == done.Key).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0].Body, calls[1].Body);
    }

    [Fact]
    public async Task A_scenario_chain_runs_and_a_loop_of_moves_is_stopped()
    {
        var (pipeline, deal) = await DealAsync();
        var first = pipeline.Stages[1];
        var second = pipeline.Stages[2];
        // first → second → first → … : each move starts the other scenario.
        await ScenarioAsync(first, null, new ScenarioAction { Kind = ActionKinds.MoveStage, StageId = second.Id });
        await ScenarioAsync(second, null, new ScenarioAction { Kind = ActionKinds.MoveStage, StageId = first.Id });

        await MoveAsync(deal, first);

        var stopped = await WaitAsync(async () => await app.WithScopeAsync(services => services.GetRequiredService<AutomationDbContext>().Runs.AsNoTracking()
            .FirstOrDefaultAsync(r => r.DealId == deal.Id && r.Status == RunStates.Skipped && r.Note!.Contains("Stopped: {0} scenario moves"))));
        Assert.Equal(TriggerIntake.MaxDepth + 1, stopped.Depth);
        var moves = await app.WithScopeAsync(services => services.GetRequiredService<AutomationDbContext>().Runs.AsNoTracking().CountAsync(r => r.DealId == deal.Id));
        Assert.Equal(TriggerIntake.MaxDepth + 2, moves);
    }

    [Fact]
    public async Task A_delayed_action_runs_after_its_delay_only_if_the_deal_is_still_in_the_stage()
    {
        var (pipeline, deal) = await DealAsync();
        var (_, other) = await DealAsync();
        var target = pipeline.Stages[1];
        await ScenarioAsync(target, null, new ScenarioAction { Kind = ActionKinds.CreateTask, Text = "Still here?", Recipient = RecipientRules.Owner, DelayMinutes = 120 });

        await MoveAsync(deal, target);
        await MoveAsync(other, target);
        await WaitAsync(async () => (await ActionsOfAsync(other.Id)).SingleOrDefault());
        await MoveAsync(other, pipeline.Stages[2]);
        Assert.Empty(await TasksOfAsync(deal.Id));

        app.Clock.Advance(TimeSpan.FromHours(2).Add(TimeSpan.FromMinutes(1)));
        await app.WithScopeAsync(services => services.GetRequiredService<AutomationPump>().PumpAsync(CancellationToken.None));

        Assert.Single(await WaitAsync(async () => (await TasksOfAsync(deal.Id)) is { Count: > 0 } list ? list : null));
        var skipped = await WaitAsync(async () => (await ActionsOfAsync(other.Id)).SingleOrDefault(a => a.Status == RunStates.Skipped));
        Assert.Contains("left the stage", skipped.Outcome, StringComparison.Ordinal);
        Assert.Empty(await TasksOfAsync(other.Id));
    }

    [Fact]
    public async Task A_dry_run_says_what_each_action_would_do_and_changes_nothing()
    {
        var (pipeline, deal) = await DealAsync(amount: 200_000m);
        var scenario = await ScenarioAsync(pipeline.Stages[1], [new ScenarioCondition("deal.amount", ConditionOperators.Greater, "100000")],
            new ScenarioAction { Kind = ActionKinds.CreateTask, TaskKind = "call", Text = "Позвонить: {{ deal.title }}", Recipient = RecipientRules.Owner, DueOffset = "+1wd 10:00" },
            new ScenarioAction { Kind = ActionKinds.Webhook, Url = app.Receiver.Url, Secret = "x" });
        var received = app.Receiver.Received.Count;

        var result = await app.WithScopeAsync(services => services.GetRequiredService<DryRun>().RunAsync(scenario, deal.Id, CancellationToken.None));

        Assert.True(result.DealFound);
        Assert.Null(result.FailedCondition);
        Assert.Contains("Позвонить: " + deal.Title, result.Actions[0].Text, StringComparison.Ordinal);
        Assert.Contains((await DealsData.UserAsync(app, CrmApp.Anna)).FullName, result.Actions[0].Text, StringComparison.Ordinal);
        Assert.Contains(app.Receiver.Url, result.Actions[1].Text, StringComparison.Ordinal);
        Assert.Empty(await TasksOfAsync(deal.Id));
        Assert.Empty(await ActionsOfAsync(deal.Id));
        Assert.Equal(received, app.Receiver.Received.Count);
    }

    [Fact]
    public async Task A_stalled_deal_raises_its_trigger_once_per_stay_however_often_the_sweep_runs()
    {
        var (pipeline, deal) = await DealAsync();
        var stage = pipeline.Stages[1];
        await app.WithScopeAsync(async services =>
        {
            await services.GetRequiredService<Crm.Deals.Data.DealsDbContext>().Stages.Where(s => s.Id == stage.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.TimeLimitDays, 3));
            services.GetRequiredService<Crm.Deals.Pipelines.PipelineCatalog>().Changed();
        });
        var admin = await DealsData.UserAsync(app, CrmApp.Admin);
        var scenario = new Scenario
        {
            Id = Guid.CreateVersion7(),
            Name = "Stalled " + Guid.NewGuid().ToString("N")[..6],
            Trigger = TriggerKinds.DealStalled,
            PipelineId = pipeline.Id,
            Actions = [new ScenarioAction { Kind = ActionKinds.Notify, Text = "Сделка зависла: {{ deal.title }}", Recipient = RecipientRules.Owner }],
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
        await MoveAsync(deal, stage);

        app.Clock.Advance(TimeSpan.FromDays(4));
        await SweepStalledAsync();
        await SweepStalledAsync();
        var first = await ActionsDoneAsync(deal.Id, 1);

        Assert.Equal(RunStates.Succeeded, first[0].Status);
        Assert.Equal(1, await NotificationsAboutAsync(deal));

        // Before any scenario, the company's own follow-up (StalledFollowUp): the owner and the owner's head are
        // told, and the owner gets a call task, once for the episode.
        var head = await app.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<Crm.Identity.Contracts.IUserDirectory>();
            var owner = await users.FindUserAsync(deal.OwnerId);
            return (await users.GetDepartmentsAsync()).Single(d => d.Id == owner!.DepartmentId).HeadUserId;
        });
        Assert.NotNull(head);
        Assert.NotEqual(deal.OwnerId, head);
        Assert.Equal(1, await StalledNoticesAsync(deal, deal.OwnerId));
        Assert.Equal(1, await StalledNoticesAsync(deal, head.Value));
        var followUp = Assert.Single(await StalledFollowUpsAsync(deal));
        Assert.Equal(deal.OwnerId, followUp.AssigneeId);
        Assert.Equal("Сдвинуть зависшую сделку: " + deal.Title, followUp.Title);

        // Another stay in the stage is another episode.
        await MoveAsync(deal, pipeline.Stages[2]);
        await MoveAsync(deal, stage);
        app.Clock.Advance(TimeSpan.FromDays(4));
        await SweepStalledAsync();
        await ActionsDoneAsync(deal.Id, 2);
        await SweepStalledAsync();

        Assert.Equal(2, await NotificationsAboutAsync(deal));
        Assert.Equal(2, (await ActionsOfAsync(deal.Id)).Count);
        Assert.Equal(2, await StalledNoticesAsync(deal, deal.OwnerId));
        Assert.Equal(2, await StalledNoticesAsync(deal, head.Value));
        Assert.Equal(2, (await StalledFollowUpsAsync(deal)).Count);
    }

    private Task<int> StalledNoticesAsync(Deal deal, Guid userId) =>
        app.WithScopeAsync(services => services.GetRequiredService<TasksDbContext>().Notifications.AsNoTracking()
            .CountAsync(n => n.UserId == userId && n.Kind == Crm.Deals.Outbox.StalledFollowUp.NotificationKind && n.Link == "/deals/" + deal.Id));

    private Task<List<Crm.Tasks.Domain.TaskItem>> StalledFollowUpsAsync(Deal deal) =>
        app.WithScopeAsync(services => services.GetRequiredService<TasksDbContext>().Tasks.AsNoTracking()
            .Where(t => t.LinkId == deal.Id && t.OriginKey!.StartsWith("deal-stalled:")).ToListAsync());

    [Fact]
    public async Task A_scenario_task_due_tomorrow_at_ten_is_due_at_ten_where_its_assignee_works()
    {
        var (pipeline, deal) = await DealAsync();
        var ivan = await DealsData.UserAsync(app, CrmApp.Ivan);
        var vladivostok = TimeZoneInfo.FindSystemTimeZoneById("Asia/Vladivostok");
        await SetTimeZoneAsync(ivan.Id, vladivostok.Id);
        try
        {
            await ScenarioAsync(pipeline.Stages[1], null,
                new ScenarioAction { Kind = ActionKinds.CreateTask, TaskKind = "call", Text = "Зона: {{ deal.title }}", Recipient = RecipientRules.Fixed, UserIds = [ivan.Id], DueOffset = "+1d 10:00" });

            await MoveAsync(deal, pipeline.Stages[1]);
            await ActionsDoneAsync(deal.Id, 1);

            var task = Assert.Single(await TasksOfAsync(deal.Id));
            var local = TimeZoneInfo.ConvertTime(task.DueAt, vladivostok);
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), vladivostok).DateTime);
            Assert.Equal(ivan.Id, task.AssigneeId);
            Assert.Equal(today.AddDays(1), DateOnly.FromDateTime(local.DateTime));
            Assert.Equal(new TimeOnly(10, 0), TimeOnly.FromDateTime(local.DateTime));
        }
        finally
        {
            await SetTimeZoneAsync(ivan.Id, "Europe/Moscow");
        }
    }

    private Task<int> SetTimeZoneAsync(Guid userId, string zone) =>
        app.WithScopeAsync(services => services.GetRequiredService<Crm.Identity.Data.IdentityDbContext>().Users
            .Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.TimeZoneId, zone)));

    [Fact]
    public async Task A_mail_action_renders_the_template_for_the_deal_and_queues_one_mail_to_the_owner()
    {
        var (pipeline, deal) = await DealAsync();
        var template = new Crm.Mail.Domain.MailTemplate
        {
            Id = Guid.CreateVersion7(),
            Name = "КП " + Guid.NewGuid().ToString("N")[..6],
            Subject = "Предложение по сделке {{ deal.title }}",
            HtmlBody = "<p>{{ owner.name }}, сделка {{ deal.number }}</p>",
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        await app.WithScopeAsync(async services =>
        {
            var mailDb = services.GetRequiredService<Crm.Mail.Data.MailDbContext>();
            mailDb.Templates.Add(template);
            await mailDb.SaveChangesAsync();
        });
        await ScenarioAsync(pipeline.Stages[1], null, new ScenarioAction { Kind = ActionKinds.SendMail, TemplateId = template.Id, MailTo = "owner" });

        await MoveAsync(deal, pipeline.Stages[1]);
        var action = (await ActionsDoneAsync(deal.Id, 1))[0];
        await ResetAsync(action.Id);
        await app.WithScopeAsync(services => services.GetRequiredService<ActionRunner>().RunAsync(action.Id, CancellationToken.None));

        var mails = await app.WithScopeAsync(services => services.GetRequiredService<Crm.Mail.Data.MailDbContext>().Outgoing.AsNoTracking().Where(m => m.RecordId == deal.Id).ToListAsync());
        var mail = Assert.Single(mails);
        Assert.Equal("anna@crm.local", mail.To);
        Assert.Equal("Предложение по сделке " + deal.Title, mail.Subject);
        Assert.Equal(action.Key, mail.OriginKey);
    }

    private Task SweepStalledAsync() =>
        app.WithScopeAsync(services => services.GetRequiredService<Crm.Deals.Outbox.StalledSweep>().SweepAsync(CancellationToken.None));

    private Task<int> NotificationsAboutAsync(Deal deal) =>
        app.WithScopeAsync(services => services.GetRequiredService<TasksDbContext>().Notifications.AsNoTracking()
            .CountAsync(n => n.UserId == deal.OwnerId && n.Subject == "Сделка зависла: " + deal.Title));

    private async Task<(Pipeline Pipeline, Deal Deal)> DealAsync(decimal amount = 50_000m)
    {
        var pipeline = await DealsData.PipelineAsync(app, 1);
        await SetBackAllowedAsync(pipeline.Id);
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, 0, 1, d => d.Amount = amount);
        return (pipeline, deal);
    }

    private async Task<Scenario> ScenarioAsync(Stage stage, List<ScenarioCondition>? conditions, params ScenarioAction[] actions)
    {
        var admin = await DealsData.UserAsync(app, CrmApp.Admin);
        var scenario = new Scenario
        {
            Id = Guid.CreateVersion7(),
            Name = "Test " + Guid.NewGuid().ToString("N")[..6],
            Trigger = TriggerKinds.StageEntered,
            PipelineId = stage.PipelineId,
            StageId = stage.Id,
            Conditions = conditions ?? [],
            Actions = [.. actions],
            RunAsUserId = admin.Id,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<AutomationDbContext>();
            // Each test's scenarios only.
            await db.Scenarios.Where(s => s.CreatedAt < testStarted).ExecuteUpdateAsync(s => s.SetProperty(x => x.IsActive, false));
            db.Scenarios.Add(scenario);
            await db.SaveChangesAsync();
        });
        return scenario;
    }

    private async Task MoveAsync(Deal deal, Stage stage)
    {
        var result = await DealsData.MoveAsync(app, CrmApp.Admin, new MoveCommand(deal.Id, stage.Id, MoveChannels.Api));
        Assert.True(result.Succeeded, result.Message);
    }

    private Task SetBackAllowedAsync(Guid pipelineId) => DealsData.SetPipelineAsync(app, pipelineId, TransitionMode.Free, allowBack: true);

    private Task<List<Crm.Tasks.Domain.TaskItem>> TasksOfAsync(Guid dealId) =>
        app.WithScopeAsync(services => services.GetRequiredService<TasksDbContext>().Tasks.AsNoTracking().Where(t => t.LinkId == dealId).ToListAsync());

    private Task<List<ActionRun>> ActionsOfAsync(Guid dealId) =>
        app.WithScopeAsync(services => services.GetRequiredService<AutomationDbContext>().ActionRuns.AsNoTracking().Where(a => a.DealId == dealId).OrderBy(a => a.Position).ToListAsync());

    private Task<List<ActionRun>> ActionsDoneAsync(Guid dealId, int count) =>
        WaitAsync(async () => await ActionsOfAsync(dealId) is { } list && list.Count == count && list.All(a => a.Status is RunStates.Succeeded or RunStates.Failed or RunStates.Skipped) ? list : null);

    private Task<ScenarioRun> RunFinishedAsync(Guid dealId, Guid scenarioId) =>
        WaitAsync(() => app.WithScopeAsync(services => services.GetRequiredService<AutomationDbContext>().Runs.AsNoTracking()
            .FirstOrDefaultAsync(r => r.DealId == dealId && r.ScenarioId == scenarioId && r.FinishedAt != null)));

    private Task<int> ResetAsync(Guid actionRunId) =>
        app.WithScopeAsync(services => services.GetRequiredService<AutomationDbContext>().ActionRuns.Where(a => a.Id == actionRunId)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.Status, RunStates.Queued)));

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
