using Crm.Tasks.Contracts;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tasks.Integration;

/// <summary>Tasks other modules set, at most once per origin key (a unique index backs the check).</summary>
internal sealed class ScheduledTasks(TasksDbContext db, TaskEditor editor) : IScheduledTasks
{
    public async Task<ScheduledTaskResult> CreateOnceAsync(TaskToSchedule task, CancellationToken cancellationToken)
    {
        if (await ExistingAsync(task.OriginKey, cancellationToken) is { } existing)
        {
            return new ScheduledTaskResult(existing, false, null);
        }

        if (!Enum.TryParse<TaskKind>(task.Kind, ignoreCase: true, out var kind))
        {
            return new ScheduledTaskResult(null, false, $"Unknown task kind «{task.Kind}».");
        }

        try
        {
            var outcome = await editor.CreateAsync(
                new TaskInput
                {
                    Title = task.Title,
                    Description = task.Description,
                    Kind = kind,
                    AssigneeId = task.AssigneeId,
                    DueAt = task.DueAt,
                    AllDay = task.AllDay,
                    DurationMinutes = kind == TaskKind.Meeting && !task.AllDay ? 60 : null,
                    LinkKind = task.LinkKind,
                    LinkId = task.LinkId,
                },
                cancellationToken,
                task.OriginKey);
            return outcome.Task is { } created
                ? new ScheduledTaskResult(created.Id, true, null)
                : new ScheduledTaskResult(null, false, string.Join(" ", outcome.Errors.Values));
        }
        catch (DbUpdateException exception) when (exception.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // The same action ran twice at once: the other one made the task.
            db.ChangeTracker.Clear();
            return new ScheduledTaskResult(await ExistingAsync(task.OriginKey, cancellationToken), false, null);
        }
    }

    private Task<Guid?> ExistingAsync(string originKey, CancellationToken cancellationToken) =>
        db.Tasks.AsNoTracking().Where(t => t.OriginKey == originKey).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(cancellationToken);
}
