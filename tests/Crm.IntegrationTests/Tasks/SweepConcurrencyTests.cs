using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Tasks;

/// <summary>
/// The reminder sweep delivers each reminder at most once: two sweeps at the same moment (two servers, a
/// retried job overlapping the first) share the due tasks between them (FOR UPDATE SKIP LOCKED), and a
/// sweep run again finds nothing left. A crash between marking a task reminded and inserting its
/// notification cannot happen: both are one statement (TaskReminders), committed together or not at all.
/// </summary>
public sealed class SweepConcurrencyTests(CrmApp app) : IClassFixture<CrmApp>
{
    /// <summary>Open tasks for ivan whose reminder came a minute ago and was not sent yet.</summary>
    private async Task<Guid[]> DueRemindersAsync(int count)
    {
        var ivan = await TasksData.UserAsync(app.Services, CrmApp.Ivan);
        var now = DateTimeOffset.UtcNow;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var tasks = Enumerable.Range(0, count).Select(i =>
        {
            var task = new TaskItem
            {
                Id = Guid.CreateVersion7(),
                Title = $"Sweep {tag} {i}",
                Kind = TaskKind.Call,
                AssigneeId = ivan.Id,
                AssigneeDepartmentId = ivan.DepartmentId,
                AuthorId = ivan.Id,
                CreatedAt = now.AddHours(-1),
                UpdatedAt = now.AddHours(-1),
            };
            task.Schedule(now.AddMinutes(14), false, 15, TimeZoneInfo.Utc);
            return task;
        }).ToList();
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<TasksDbContext>();
            db.Tasks.AddRange(tasks);
            await db.SaveChangesAsync();
        });
        return tasks.Select(t => t.Id).ToArray();
    }

    private Task<(int Count, int Distinct)> RemindersAsync(Guid[] taskIds)
    {
        var links = taskIds.Select(id => "/tasks/" + id).ToArray();
        return app.WithScopeAsync(async services =>
        {
            var notes = await services.GetRequiredService<TasksDbContext>().Notifications.AsNoTracking()
                .Where(n => n.Kind == TaskNotificationKinds.Reminder && links.Contains(n.Link!)).Select(n => new { n.Link, n.OnceKey }).ToListAsync();
            return (notes.Count, notes.Select(n => n.Link).Distinct().Count());
        });
    }

    [Fact]
    public async Task Two_sweeps_at_the_same_time_over_2000_due_reminders_deliver_exactly_2000()
    {
        var taskIds = await DueRemindersAsync(2_000);

        await Task.WhenAll(Task.Run(() => TasksData.SweepAsync(app.Services)), Task.Run(() => TasksData.SweepAsync(app.Services)));

        Assert.Equal((2_000, 2_000), await RemindersAsync(taskIds));
    }

    [Fact]
    public async Task The_same_sweep_run_twice_delivers_nothing_more()
    {
        var taskIds = await DueRemindersAsync(50);
        await TasksData.SweepAsync(app.Services);
        Assert.Equal((50, 50), await RemindersAsync(taskIds));

        await TasksData.SweepAsync(app.Services);

        Assert.Equal((50, 50), await RemindersAsync(taskIds));
    }
}
