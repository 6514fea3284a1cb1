using Crm.Clients.Data;
using Crm.Deals.Data;
using Crm.SharedKernel.Hosting;
using Crm.Tasks.Contracts;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Seeding;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Tasks;

/// <summary>The demo tasks: about 500 over the demo team, linked to records that exist, with the records' dates in step and nothing stale for the sweep.</summary>
public sealed class TasksDemoDataTests(CrmApp app) : IClassFixture<CrmApp>
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private Task<List<TaskItem>> TasksAsync() =>
        app.WithScopeAsync(services => services.GetRequiredService<TasksDbContext>().Tasks.AsNoTracking().ToListAsync());

    [Fact]
    public async Task The_demo_tasks_are_about_500_of_every_kind_and_state_over_the_demo_team()
    {
        var tasks = await TasksAsync();
        var team = new Dictionary<string, Guid>();
        foreach (var email in new[] { CrmApp.Anna, CrmApp.Ivan, CrmApp.Head, CrmApp.Admin })
        {
            team[email] = (await TasksData.UserAsync(app.Services, email)).Id;
        }

        Assert.InRange(tasks.Count, 480, 600);
        Assert.All(tasks, t => Assert.Contains(t.AssigneeId, team.Values));
        Assert.Equal(Enum.GetValues<TaskKind>().Order(), tasks.Select(t => t.Kind).Distinct().Order());
        var now = DateTimeOffset.UtcNow;
        var today = TaskTimes.Day(TaskTimes.Today(now, Moscow), Moscow);
        foreach (var manager in new[] { CrmApp.Anna, CrmApp.Ivan, CrmApp.Head })
        {
            Assert.InRange(tasks.Count(t => t.AssigneeId == team[manager] && t.DueAt >= today.Start && t.DueAt < today.End && t.ParentId == null), 8, 20);
        }

        Assert.Contains(tasks, t => t.IsOverdue(now));
        Assert.Contains(tasks, t => t is { IsOpen: true, Kind: TaskKind.Meeting, DurationMinutes: > 0 } && t.DueAt > now);
        Assert.True(tasks.Count(t => t.Status == TaskState.Done) > 100);
        Assert.All(tasks.Where(t => t.Status == TaskState.Done), t => Assert.False(string.IsNullOrEmpty(t.Result)));
        Assert.Contains(tasks, t => t.Status == TaskState.Cancelled);
        Assert.Contains(tasks, t => t.ParentId is not null && tasks.Any(p => p.Id == t.ParentId));
        Assert.Contains(tasks, t => t.AuthorId == team[CrmApp.Head] && t.AssigneeId == team[CrmApp.Anna]);
        Assert.Contains(tasks, t => t.ReminderMinutes is not null && t.RemindedAt is null && t.RemindAt > now);
        foreach (var kind in new[] { TaskLinkKinds.Lead, TaskLinkKinds.Company, TaskLinkKinds.Contact, TaskLinkKinds.Deal })
        {
            Assert.Contains(tasks, t => t.LinkKind == kind);
        }

        // Nothing already past is left for the sweep to tell: the demo users are not flooded.
        Assert.DoesNotContain(tasks, t => t.IsOpen && t.RemindAt <= now && t.RemindedAt == null);
        Assert.DoesNotContain(tasks, t => t.IsOpen && t.OverdueAt <= now && t.OverdueNotifiedAt == null);
        var annasUnread = await app.WithScopeAsync(services => services.GetRequiredService<TasksDbContext>().Notifications
            .CountAsync(n => n.UserId == team[CrmApp.Anna] && n.ReadAt == null));
        Assert.InRange(annasUnread, 3, 20);
    }

    [Fact]
    public async Task Every_linked_record_exists_and_the_records_next_task_and_last_activity_match_their_tasks()
    {
        var tasks = (await TasksAsync()).Where(t => t.LinkId is not null && t.DeletedAt == null).ToList();
        var byKind = tasks.GroupBy(t => t.LinkKind!).ToDictionary(g => g.Key, g => g.Select(t => t.LinkId!.Value).Distinct().ToArray());
        var companies = await app.WithScopeAsync(services => services.GetRequiredService<ClientsDbContext>().Companies.AsNoTracking()
            .Where(c => byKind[TaskLinkKinds.Company].Contains(c.Id)).Select(c => new { c.Id, c.NextTaskAt, c.LastActivityAt }).ToListAsync());
        var contacts = await app.WithScopeAsync(services => services.GetRequiredService<ClientsDbContext>().Contacts.AsNoTracking()
            .CountAsync(c => byKind[TaskLinkKinds.Contact].Contains(c.Id)));
        var leads = await app.WithScopeAsync(services => services.GetRequiredService<ClientsDbContext>().Leads.AsNoTracking()
            .CountAsync(c => byKind[TaskLinkKinds.Lead].Contains(c.Id)));
        var deals = await app.WithScopeAsync(services => services.GetRequiredService<DealsDbContext>().Deals.AsNoTracking()
            .Where(d => byKind[TaskLinkKinds.Deal].Contains(d.Id)).Select(d => new { d.Id, d.NextTaskAt }).ToListAsync());

        Assert.Equal(byKind[TaskLinkKinds.Company].Length, companies.Count);
        Assert.Equal(byKind[TaskLinkKinds.Contact].Length, contacts);
        Assert.Equal(byKind[TaskLinkKinds.Lead].Length, leads);
        Assert.Equal(byKind[TaskLinkKinds.Deal].Length, deals.Count);

        DateTimeOffset? NextDue(Guid id) => tasks.Where(t => t.LinkId == id && t.IsOpen).Select(t => (DateTimeOffset?)t.DueAt).Min();
        foreach (var company in companies)
        {
            Assert.Equal(NextDue(company.Id), company.NextTaskAt);
            var lastDone = tasks.Where(t => t.LinkId == company.Id && t.Status == TaskState.Done).Select(t => t.CompletedAt).Max();
            if (lastDone is not null)
            {
                Assert.True(company.LastActivityAt >= lastDone);
            }
        }

        Assert.Contains(companies, c => c.NextTaskAt is not null);
        Assert.All(deals, d => Assert.Equal(NextDue(d.Id), d.NextTaskAt));
    }

    [Fact]
    public async Task Seeding_again_adds_nothing()
    {
        var before = (await TasksAsync()).Count;

        await app.WithScopeAsync(services => services.GetServices<IDemoDataSeeder>().OfType<TasksDemoSeeder>().Single().SeedAsync(CancellationToken.None));

        Assert.Equal(before, (await TasksAsync()).Count);
    }
}
