using Crm.Clients.Contracts;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Crm.Tasks.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Testing;

/// <summary>Tasks for tests, made through the one editor every page and the API use, acting as a demo user.</summary>
internal static class TasksData
{
    /// <summary>A task set by <paramref name="email"/>: for themself unless the input names an assignee; due in an hour unless given.</summary>
    public static async Task<TaskSaveOutcome> TryCreateAsync(IServiceProvider app, string email, TaskInput input)
    {
        var user = await DealsData.UserAsync(app, email);
        return await DealsData.WithScopeAsync(app, async services =>
        {
            using var acting = ActingUser.As(user.Id, user.FullName);
            var clock = services.GetRequiredService<TimeProvider>();
            return await services.GetRequiredService<TaskEditor>().CreateAsync(
                input with { Title = input.Title ?? "Test task " + Guid.NewGuid().ToString("N")[..6], DueAt = input.DueAt ?? clock.GetUtcNow().AddHours(1) },
                CancellationToken.None);
        });
    }

    public static async Task<TaskItem> CreateAsync(IServiceProvider app, string email, TaskInput? input = null)
    {
        var outcome = await TryCreateAsync(app, email, input ?? new TaskInput());
        return outcome.Task ?? throw new InvalidOperationException("Task not created: " + string.Join("; ", outcome.Errors.Select(e => e.Key + ": " + e.Value)));
    }

    public static Task<TaskItem> CreateAsync(CrmApp app, string email, TaskInput? input = null) => CreateAsync(app.Services, email, input);

    /// <summary>Completes as <paramref name="email"/> (with a follow-up when <paramref name="next"/> is given).</summary>
    public static async Task<TaskSaveOutcome> CompleteAsync(IServiceProvider app, string email, Guid taskId, string? result, TaskInput? next = null)
    {
        var user = await DealsData.UserAsync(app, email);
        return await DealsData.WithScopeAsync(app, async services =>
        {
            using var acting = ActingUser.As(user.Id, user.FullName);
            var editor = services.GetRequiredService<TaskEditor>();
            var task = await editor.FindAsync(taskId, AccessAction.Edit, CancellationToken.None)
                ?? throw new InvalidOperationException("Task out of reach");
            return await editor.CompleteAsync(task, result, next, null, CancellationToken.None);
        });
    }

    public static Task<TaskItem> ReloadAsync(IServiceProvider app, Guid taskId) =>
        DealsData.WithScopeAsync(app, services => services.GetRequiredService<TasksDbContext>().Tasks.AsNoTracking().SingleAsync(t => t.Id == taskId));

    public static Task<List<Notification>> NotificationsAsync(IServiceProvider app, Guid userId) =>
        DealsData.WithScopeAsync(app, services => services.GetRequiredService<TasksDbContext>().Notifications.AsNoTracking()
            .Where(n => n.UserId == userId).OrderBy(n => n.CreatedAt).ToListAsync());

    /// <summary>Runs the every-minute sweep once, as Hangfire would (no user).</summary>
    public static Task SweepAsync(IServiceProvider app) =>
        DealsData.WithScopeAsync(app, services => services.GetRequiredService<Crm.Tasks.Jobs.TaskJobs>().SweepAsync(CancellationToken.None));

    /// <summary>A demo client of the kind that <paramref name="email"/> may see.</summary>
    public static async Task<ClientSummary> ClientAsync(IServiceProvider app, string email, ClientKind kind)
    {
        var user = await DealsData.UserAsync(app, email);
        return await DealsData.WithScopeAsync(app, async services =>
        {
            using var acting = ActingUser.As(user.Id, user.FullName);
            return (await services.GetRequiredService<IClientDirectory>().SearchAsync(kind, "", 50, CancellationToken.None)).First(c => c.OwnerId == user.Id);
        });
    }

    public static Task<UserSummary> UserAsync(IServiceProvider app, string email) => DealsData.UserAsync(app, email);
}
