using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Deals.Data;
using Crm.Tasks.Contracts;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Tasks;

/// <summary>The task editor's rules and what follows a change: the linked record's dates and timeline, assignment rights, notifications.</summary>
public sealed class TaskCoreTests(TaskCoreTests.App app) : IClassFixture<TaskCoreTests.App>
{
    public sealed class App : CrmApp
    {
        public MovableClock Clock { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    [Fact]
    public async Task A_task_on_a_company_sets_its_next_task_date_and_completing_it_its_last_activity()
    {
        var company = await TasksData.ClientAsync(app.Services, CrmApp.Anna, ClientKind.Company);
        var due = app.Clock.GetUtcNow().AddDays(3);
        var task = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Kind = TaskKind.Call, DueAt = due, LinkKind = TaskLinkKinds.Company, LinkId = company.Id });

        var record = await CompanyAsync(company.Id);
        Assert.Equal(await NextOpenDueAsync(company.Id), record.NextTaskAt);
        Assert.True(record.NextTaskAt <= task.DueAt);
        Assert.Equal(company.Name, task.LinkName);

        var done = await TasksData.CompleteAsync(app.Services, CrmApp.Anna, task.Id, "Договорились о встрече");

        Assert.True(done.Succeeded);
        record = await CompanyAsync(company.Id);
        Assert.Equal(await NextOpenDueAsync(company.Id), record.NextTaskAt);
        Assert.NotNull(record.LastActivityAt);
        Assert.True(record.LastActivityAt >= (await TasksData.ReloadAsync(app.Services, task.Id)).CompletedAt);
        var timeline = await app.WithScopeAsync(services => services.GetRequiredService<ClientsDbContext>().Timeline.AsNoTracking()
            .Where(t => t.RecordId == company.Id && t.Kind == "task").Select(t => new { t.Subject, t.Text }).ToListAsync());
        Assert.Contains(timeline, t => t.Subject.Contains(task.Title, StringComparison.Ordinal) && t.Text == "Договорились о встрече");
    }

    [Fact]
    public async Task The_company_card_shows_its_next_task_and_offers_to_set_one()
    {
        var company = await TasksData.ClientAsync(app.Services, CrmApp.Anna, ClientKind.Company);
        await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { DueAt = app.Clock.GetUtcNow().AddDays(1), LinkKind = TaskLinkKinds.Company, LinkId = company.Id });
        var anna = await app.SignInAsync(CrmApp.Anna);

        var html = await anna.GetStringAsync("/companies/" + company.Id);

        // Anna reads Russian (her profile), and the card shows the time, not "none".
        Assert.Matches(@"Следующая задача: \d", html);
        Assert.Contains($"/tasks/new?linkKind=company&amp;linkId={company.Id}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_on_a_lead_works_and_a_task_on_a_deal_sets_the_deals_dates()
    {
        var lead = await TasksData.ClientAsync(app.Services, CrmApp.Anna, ClientKind.Lead);
        var onLead = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { LinkKind = TaskLinkKinds.Lead, LinkId = lead.Id });
        Assert.Equal(lead.Id, onLead.LinkId);

        var deal = await DealsData.CreateAsync(app, CrmApp.Anna);
        var onDeal = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { LinkKind = TaskLinkKinds.Deal, LinkId = deal.Id });
        var reloaded = await DealsData.ReloadAsync(app, deal.Id);
        Assert.Equal(onDeal.DueAt, reloaded.NextTaskAt);
        var lines = await app.WithScopeAsync(services => services.GetRequiredService<DealsDbContext>().Timeline.AsNoTracking().CountAsync(t => t.DealId == deal.Id && t.Kind == "task"));
        Assert.Equal(1, lines);
    }

    [Fact]
    public async Task A_manager_sets_tasks_only_for_themself_and_a_head_for_the_departments_managers()
    {
        var ivan = await TasksData.UserAsync(app.Services, CrmApp.Ivan);

        var byAnna = await TasksData.TryCreateAsync(app.Services, CrmApp.Anna, new TaskInput { AssigneeId = ivan.Id });
        Assert.False(byAnna.Succeeded);
        Assert.True(byAnna.Errors.ContainsKey(nameof(TaskInput.AssigneeId)));

        var byHead = await TasksData.CreateAsync(app, CrmApp.Head, new TaskInput { AssigneeId = ivan.Id });
        Assert.Equal(ivan.Id, byHead.AssigneeId);
        var notes = await TasksData.NotificationsAsync(app.Services, ivan.Id);
        Assert.Single(notes, n => n.Kind == "task.assigned" && n.Link == "/tasks/" + byHead.Id);
    }

    [Fact]
    public async Task A_link_to_a_record_out_of_reach_is_refused()
    {
        var ivansCompany = await TasksData.ClientAsync(app.Services, CrmApp.Ivan, ClientKind.Company);

        var outcome = await TasksData.TryCreateAsync(app.Services, CrmApp.Anna, new TaskInput { LinkKind = TaskLinkKinds.Company, LinkId = ivansCompany.Id });

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.Errors.ContainsKey("Link"));
    }

    [Fact]
    public async Task Completing_with_a_next_task_schedules_the_follow_up_and_tells_the_author()
    {
        var anna = await TasksData.UserAsync(app.Services, CrmApp.Anna);
        var head = await TasksData.UserAsync(app.Services, CrmApp.Head);
        var task = await TasksData.CreateAsync(app, CrmApp.Head, new TaskInput { AssigneeId = anna.Id, Kind = TaskKind.Call });

        var outcome = await TasksData.CompleteAsync(app.Services, CrmApp.Anna, task.Id, "Перезвонить в пятницу",
            new TaskInput { Title = "Перезвонить", Kind = TaskKind.Call, DueAt = app.Clock.GetUtcNow().AddDays(2) });

        Assert.True(outcome.Succeeded);
        Assert.Equal(TaskState.Done, (await TasksData.ReloadAsync(app.Services, task.Id)).Status);
        Assert.Equal("Перезвонить", outcome.Task!.Title);
        Assert.Equal(anna.Id, outcome.Task.AssigneeId);
        Assert.Single(await TasksData.NotificationsAsync(app.Services, head.Id), n => n.Kind == "task.done" && n.Link == "/tasks/" + task.Id);
    }

    [Fact]
    public async Task A_reminder_comes_once_at_its_time_even_when_the_sweep_runs_again()
    {
        var ivan = await TasksData.UserAsync(app.Services, CrmApp.Ivan);
        var task = await TasksData.CreateAsync(app, CrmApp.Ivan, new TaskInput { DueAt = app.Clock.GetUtcNow().AddMinutes(30), ReminderMinutes = 15 });

        await TasksData.SweepAsync(app.Services);
        Assert.DoesNotContain(await TasksData.NotificationsAsync(app.Services, ivan.Id), n => n.Link == "/tasks/" + task.Id);

        app.Clock.Advance(TimeSpan.FromMinutes(16));
        await TasksData.SweepAsync(app.Services);
        await TasksData.SweepAsync(app.Services);

        Assert.Single(await TasksData.NotificationsAsync(app.Services, ivan.Id), n => n.Kind == "task.reminder" && n.Link == "/tasks/" + task.Id);

        app.Clock.Advance(TimeSpan.FromMinutes(15));
        await TasksData.SweepAsync(app.Services);
        await TasksData.SweepAsync(app.Services);
        Assert.Single(await TasksData.NotificationsAsync(app.Services, ivan.Id), n => n.Kind == "task.overdue" && n.Link == "/tasks/" + task.Id);
    }

    private Task<Crm.Clients.Domain.Company> CompanyAsync(Guid id) =>
        app.WithScopeAsync(services => services.GetRequiredService<ClientsDbContext>().Companies.AsNoTracking().SingleAsync(c => c.Id == id));

    /// <summary>The earliest due time of the record's other open tasks (the demo data may have some), or null.</summary>
    private Task<DateTimeOffset?> NextOpenDueAsync(Guid id) =>
        app.WithScopeAsync(services => services.GetRequiredService<Crm.Tasks.Data.TasksDbContext>().Tasks
            .Where(t => t.LinkId == id && t.Status == TaskState.Open && t.DeletedAt == null).MinAsync(t => (DateTimeOffset?)t.DueAt));
}
