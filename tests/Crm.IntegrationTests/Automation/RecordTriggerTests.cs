using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Automation.Data;
using Crm.Automation.Domain;
using Crm.Automation.Running;
using Crm.Clients.Data;
using Crm.Clients.Outbox;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.Tasks.Data;
using Crm.Tasks.Editing;
using Crm.Tasks.Notifications;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Automation;

/// <summary>
/// Scenarios on records that are not deals: "lead created" from Clients' outbox and "task overdue" from the
/// Tasks module's overdue sweep, with the head's overdue notification. The jobs are run here one by one (no
/// Hangfire server), so each hand-over can be repeated on purpose.
/// </summary>
public sealed class RecordTriggerTests(RecordTriggerTests.App app) : IClassFixture<RecordTriggerTests.App>
{
    private readonly DateTimeOffset testStarted = DateTimeOffset.UtcNow;

    public sealed class App : CrmApp
    {
        public MovableClock Clock { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    [Fact]
    public async Task A_lead_created_through_the_API_sets_the_scenarios_task_on_the_lead_once_even_when_the_drain_runs_twice()
    {
        await ScenarioAsync(TriggerKinds.LeadCreated,
            new ScenarioAction { Kind = ActionKinds.CreateTask, TaskKind = "call", Text = "Позвонить лиду {{ lead.name }} ({{ owner.name }})", Recipient = RecipientRules.Owner, DueOffset = "+1d 10:00" });
        var anna = await DealsData.UserAsync(app, CrmApp.Anna);
        var api = await app.ApiClientAsync(CrmApp.Anna);
        var name = "Лид " + Guid.NewGuid().ToString("N")[..6];

        var created = await (await api.PostAsJsonAsync("/api/v1/leads", new { name, email = "lead-trigger@example.ru" })).Content.ReadFromJsonAsync<JsonElement>();
        var leadId = created.GetProperty("id").GetGuid();

        Assert.Equal(1, await OutboxRowsOfLeadAsync(leadId));
        await DrainClientsAsync();
        // Handed over again (a drain killed after the hand-over, before its commit): no second run.
        await app.WithScopeAsync(services => services.GetRequiredService<ClientsDbContext>().Outbox.Where(m => m.RecordId == leadId)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.ProcessedAt, (DateTimeOffset?)null)));
        await DrainClientsAsync();

        var run = Assert.Single(await RunsOfAsync(leadId));
        Assert.Equal(EntityKinds.Lead, run.RecordKind);
        Assert.Null(run.DealId);
        var action = Assert.Single(await ActionsOfAsync(leadId));
        await RunActionAsync(action.Id);
        await ResetAsync(action.Id);
        await RunActionAsync(action.Id);

        var task = Assert.Single(await TasksLinkedToAsync(leadId));
        Assert.Equal(EntityKinds.Lead, task.LinkKind);
        Assert.Equal(anna.Id, task.AssigneeId);
        Assert.Equal($"Позвонить лиду {name} ({anna.FullName})", task.Title);
        // The finished action is told on the lead's timeline.
        Assert.True(await app.WithScopeAsync(services => services.GetRequiredService<ClientsDbContext>().Timeline.AnyAsync(e => e.RecordId == leadId && e.Kind == RunTimeline.Kind)));

        // The run log shows the lead and filters by it.
        var admin = await app.ApiClientAsync(CrmApp.Admin);
        var log = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/scenario-runs?recordKind=lead&recordId={leadId}");
        var item = Assert.Single(log.GetProperty("items").EnumerateArray());
        Assert.Equal("lead", item.GetProperty("record").GetProperty("kind").GetString());
        Assert.Equal("/leads/" + leadId, item.GetProperty("record").GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("dealId").ValueKind);
        var page = await (await app.SignInAsync(CrmApp.Admin)).GetStringAsync($"/admin/scenarios/runs?recordKind=lead&recordId={leadId}");
        Assert.Contains($"href=\"/leads/{leadId}\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_of_leads_writes_a_lead_created_trigger_for_each_new_lead_with_its_batch()
    {
        await ScenarioAsync(TriggerKinds.LeadCreated, new ScenarioAction { Kind = ActionKinds.Notify, Text = "Новый лид {{ lead.name }}", Recipient = RecipientRules.Owner });
        var anna = await app.SignInAsync(CrmApp.Anna);
        var marker = Guid.NewGuid().ToString("N")[..6];
        var file = ImportFiles.Xlsx(
        [
            ["Имя", "Электронная почта"],
            ["Импорт лид " + marker + " 1", marker + "-1@leads.test"],
            ["Импорт лид " + marker + " 2", marker + "-2@leads.test"],
        ]);
        var import = await Clients.ImportTests.UploadAsync(anna, "leads", "leads.xlsx", file);
        await Clients.ImportTests.StartAsync(anna, import, ["name", "email"], "Skip", "Email");

        await app.WithScopeAsync(services => services.GetRequiredService<Crm.Clients.Jobs.ImportJob>().RunAsync(import, CancellationToken.None));

        var leads = await app.WithScopeAsync(services => services.GetRequiredService<ClientsDbContext>().Leads.Where(l => l.Name.StartsWith("Импорт лид " + marker)).Select(l => l.Id).ToListAsync());
        Assert.Equal(2, leads.Count);
        var rows = await app.WithScopeAsync(services => services.GetRequiredService<ClientsDbContext>().Outbox.AsNoTracking().Where(m => leads.Contains(m.RecordId)).ToListAsync());
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal(("lead_created", "import"), (row.Kind, row.Channel)));
        await DrainClientsAsync();
        foreach (var lead in leads)
        {
            Assert.Single(await RunsOfAsync(lead));
        }
    }

    [Fact]
    public async Task A_task_that_becomes_overdue_raises_its_trigger_once_per_episode_and_again_after_it_is_rescheduled()
    {
        await ScenarioAsync(TriggerKinds.TaskOverdue,
            new ScenarioAction { Kind = ActionKinds.Notify, Text = "Просрочено: {{ task.title }}", Recipient = RecipientRules.Owner });
        var ivan = await DealsData.UserAsync(app, CrmApp.Ivan);
        var task = await TasksData.CreateAsync(app, CrmApp.Ivan, new TaskInput { DueAt = app.Clock.GetUtcNow().AddMinutes(30) });

        await SweepAndDrainAsync();
        Assert.Empty(await RunsOfAsync(task.Id));

        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await SweepAndDrainAsync();
        await SweepAndDrainAsync();

        var run = Assert.Single(await RunsOfAsync(task.Id));
        Assert.Equal(EntityKinds.Task, run.RecordKind);
        var action = Assert.Single(await ActionsOfAsync(task.Id));
        await RunActionAsync(action.Id);
        Assert.Single(await TasksData.NotificationsAsync(app.Services, ivan.Id), n => n.Subject == "Просрочено: " + task.Title);

        // Rescheduled, then overdue again: a new episode, a new run.
        await RescheduleAsync(task.Id, app.Clock.GetUtcNow().AddMinutes(30));
        await SweepAndDrainAsync();
        Assert.Single(await RunsOfAsync(task.Id));
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await SweepAndDrainAsync();
        await SweepAndDrainAsync();

        Assert.Equal(2, (await RunsOfAsync(task.Id)).Count);
        Assert.Equal(2, await app.WithScopeAsync(services => services.GetRequiredService<TasksDbContext>().Outbox.CountAsync(m => m.TaskId == task.Id)));
    }

    [Fact]
    public async Task The_head_of_the_assignees_department_is_told_of_an_overdue_task_once_and_not_when_the_setting_is_off()
    {
        var ivan = await DealsData.UserAsync(app, CrmApp.Ivan);
        var head = await DealsData.UserAsync(app, CrmApp.Head);
        var departments = await app.WithScopeAsync(services => services.GetRequiredService<IUserDirectory>().GetDepartmentsAsync(CancellationToken.None));
        Assert.Equal(head.Id, departments.Single(d => d.Id == ivan.DepartmentId).HeadUserId);
        var told = await TasksData.CreateAsync(app, CrmApp.Ivan, new TaskInput { DueAt = app.Clock.GetUtcNow().AddMinutes(10) });

        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await TasksData.SweepAsync(app.Services);
        await DrainTasksAsync();
        await app.WithScopeAsync(services => services.GetRequiredService<TasksDbContext>().Outbox.Where(m => m.TaskId == told.Id)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.ProcessedAt, (DateTimeOffset?)null)));
        await DrainTasksAsync();

        var notice = Assert.Single(await TasksData.NotificationsAsync(app.Services, head.Id), n => n.Link == "/tasks/" + told.Id);
        Assert.Equal("task.overdue", notice.Kind);
        Assert.Contains(ivan.FullName, notice.Subject, StringComparison.Ordinal);

        var untold = await TasksData.CreateAsync(app, CrmApp.Ivan, new TaskInput { DueAt = app.Clock.GetUtcNow().AddMinutes(10) });
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await TasksData.SweepAsync(app.Services);
        await DrainTasksAsync(notifyHead: false);

        Assert.DoesNotContain(await TasksData.NotificationsAsync(app.Services, head.Id), n => n.Link == "/tasks/" + untold.Id);
        Assert.Contains(await TasksData.NotificationsAsync(app.Services, ivan.Id), n => n.Kind == "task.overdue" && n.Link == "/tasks/" + untold.Id);
    }

    [Fact]
    public async Task The_editor_and_the_API_refuse_a_move_to_a_stage_for_a_lead_trigger_next_to_the_field()
    {
        var pipeline = await DealsData.PipelineAsync(app, 1);
        var api = await app.ApiClientAsync(CrmApp.Admin);
        var body = JsonSerializer.Serialize(new
        {
            name = "Лид → этап",
            trigger = TriggerKinds.LeadCreated,
            actions = new object[] { new { kind = "move_stage", stageId = pipeline.Stages[1].Id } },
        });

        var refused = await api.PostAsync("/api/v1/scenarios", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("actions[0].kind", out _), errors.ToString());

        var admin = await app.SignInAsync(CrmApp.Admin, acceptLanguage: "ru");
        var form = await CrmApp.PostFormAsync(admin, "/admin/scenarios/new", "/admin/scenarios/new", new Dictionary<string, string>
        {
            ["Name"] = "Лид → этап",
            ["Trigger"] = TriggerKinds.LeadCreated,
            ["IsActive"] = "true",
            ["Actions[0].Kind"] = ActionKinds.MoveStage,
            ["Actions[0].StageId"] = pipeline.Stages[1].Id.ToString(),
        });
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        var match = Regex.Match(html, "id=\"a0-kind\"[^>]*?class=\"[^\"]*is-invalid[^\"]*\"[\\s\\S]*?<span class=\"field-validation-error[^\"]*\">([^<]*)</span>");
        Assert.True(match.Success, "No error next to the action's kind.");
        Assert.StartsWith("Задать поле или перевести на этап может только сценарий сделки", WebUtility.HtmlDecode(match.Groups[1].Value), StringComparison.Ordinal);
    }

    private async Task ScenarioAsync(string trigger, params ScenarioAction[] actions)
    {
        var admin = await DealsData.UserAsync(app, CrmApp.Admin);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<AutomationDbContext>();
            // Each test's scenarios only.
            await db.Scenarios.Where(s => s.CreatedAt < testStarted).ExecuteUpdateAsync(s => s.SetProperty(x => x.IsActive, false));
            db.Scenarios.Add(new Scenario
            {
                Id = Guid.CreateVersion7(),
                Name = "Test " + Guid.NewGuid().ToString("N")[..6],
                Trigger = trigger,
                Actions = [.. actions],
                RunAsUserId = admin.Id,
                CreatedAt = DateTimeOffset.UtcNow,
                UpdatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
    }

    private Task DrainClientsAsync() =>
        app.WithScopeAsync(services => services.GetRequiredService<ClientOutboxDrain>().DrainAsync(CancellationToken.None));

    private Task DrainTasksAsync(bool notifyHead = true) =>
        app.WithScopeAsync(services =>
        {
            var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TaskOutboxDrain.NotifyHeadSetting] = notifyHead ? "true" : "false" }).Build();
            return ActivatorUtilities.CreateInstance<TaskOutboxDrain>(services, (IConfiguration)settings).DrainAsync(CancellationToken.None);
        });

    private async Task SweepAndDrainAsync()
    {
        await TasksData.SweepAsync(app.Services);
        await DrainTasksAsync();
    }

    private async Task RescheduleAsync(Guid taskId, DateTimeOffset dueAt)
    {
        var ivan = await DealsData.UserAsync(app, CrmApp.Ivan);
        await app.WithScopeAsync(async services =>
        {
            using var acting = ActingUser.As(ivan.Id, ivan.FullName);
            var editor = services.GetRequiredService<TaskEditor>();
            var task = await editor.FindAsync(taskId, AccessAction.Edit, CancellationToken.None) ?? throw new InvalidOperationException("Task out of reach");
            var outcome = await editor.UpdateAsync(task, new TaskInput { Title = task.Title, Kind = task.Kind, DueAt = dueAt }, null, CancellationToken.None);
            Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors.Select(e => e.Key + ": " + e.Value)));
        });
    }

    private Task<int> OutboxRowsOfLeadAsync(Guid leadId) =>
        app.WithScopeAsync(services => services.GetRequiredService<ClientsDbContext>().Outbox.CountAsync(m => m.RecordId == leadId));

    private Task<List<ScenarioRun>> RunsOfAsync(Guid recordId) =>
        app.WithScopeAsync(services => services.GetRequiredService<AutomationDbContext>().Runs.AsNoTracking().Where(r => r.RecordId == recordId).ToListAsync());

    private Task<List<ActionRun>> ActionsOfAsync(Guid recordId) =>
        app.WithScopeAsync(services => services.GetRequiredService<AutomationDbContext>().ActionRuns.AsNoTracking().Where(a => a.RecordId == recordId).OrderBy(a => a.Position).ToListAsync());

    private Task RunActionAsync(Guid actionRunId) =>
        app.WithScopeAsync(services => services.GetRequiredService<ActionRunner>().RunAsync(actionRunId, CancellationToken.None));

    private Task<int> ResetAsync(Guid actionRunId) =>
        app.WithScopeAsync(services => services.GetRequiredService<AutomationDbContext>().ActionRuns.Where(a => a.Id == actionRunId)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.Status, RunStates.Queued)));

    private Task<List<Crm.Tasks.Domain.TaskItem>> TasksLinkedToAsync(Guid recordId) =>
        app.WithScopeAsync(services => services.GetRequiredService<TasksDbContext>().Tasks.AsNoTracking().Where(t => t.LinkId == recordId).ToListAsync());
}
