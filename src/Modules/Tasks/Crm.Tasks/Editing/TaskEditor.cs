using Crm.SharedKernel.Access;
using Crm.Tasks.Access;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Tasks.Editing;

/// <summary>
/// What a form or an API body asks of a task. <see cref="DueAt"/> is an instant; pages turn the user's
/// local date and time into it (<see cref="TaskTimes"/>). Null tags leave them as they are on update.
/// </summary>
internal sealed record TaskInput
{
    public string? Title { get; init; }

    public string? Description { get; init; }

    public TaskKind Kind { get; init; } = TaskKind.Todo;

    public TaskPriority Priority { get; init; } = TaskPriority.Normal;

    /// <summary>Null: the current user.</summary>
    public Guid? AssigneeId { get; init; }

    public DateTimeOffset? DueAt { get; init; }

    public bool AllDay { get; init; }

    public int? DurationMinutes { get; init; }

    public int? ReminderMinutes { get; init; }

    public string? LinkKind { get; init; }

    public Guid? LinkId { get; init; }

    public Guid? ParentId { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>The task as it is: the start of an API PATCH or of the edit form.</summary>
    public static TaskInput From(TaskItem task) => new()
    {
        Title = task.Title,
        Description = task.Description,
        Kind = task.Kind,
        Priority = task.Priority,
        AssigneeId = task.AssigneeId,
        DueAt = task.DueAt,
        AllDay = task.AllDay,
        DurationMinutes = task.DurationMinutes,
        ReminderMinutes = task.ReminderMinutes,
        LinkKind = task.LinkKind,
        LinkId = task.LinkId,
        ParentId = task.ParentId,
        Tags = task.Tags,
    };
}

/// <summary>The answer of a save: the task, or the messages per input field, or a conflict (stale version).</summary>
internal sealed record TaskSaveOutcome(TaskItem? Task, IReadOnlyDictionary<string, string> Errors, bool Conflict = false)
{
    public bool Succeeded => Task is not null && Errors.Count == 0 && !Conflict;

    public static TaskSaveOutcome Saved(TaskItem task) => new(task, new Dictionary<string, string>());

    public static TaskSaveOutcome Invalid(IReadOnlyDictionary<string, string> errors) => new(null, errors);

    public static TaskSaveOutcome Stale() => new(null, new Dictionary<string, string>(), Conflict: true);
}

/// <summary>
/// The one path by which tasks are created, changed, completed, cancelled and deleted, for the pages and
/// the API alike: it checks the input (messages keyed by <see cref="TaskInput"/> property names), the
/// right to assign, the link and the parent, saves, and then lets <see cref="TaskActivity"/> tell the
/// linked record, the assignee and the author.
/// </summary>
internal sealed class TaskEditor(
    TasksDbContext db,
    TaskAccess access,
    TaskLinks links,
    TaskActivity activity,
    ICurrentUser currentUser,
    TimeProvider clock,
    IStringLocalizer<TasksStrings> L)
{
    public const int MaxReminderMinutes = 7 * 24 * 60;
    public const int MaxDurationMinutes = 24 * 60;
    public const int MaxTags = 20;

    /// <summary>A task within the current user's scope for the action, tracked; null when missing or out of reach.</summary>
    public async Task<TaskItem?> FindAsync(Guid id, AccessAction action, CancellationToken cancellationToken) =>
        await TaskAccess.Within(db.Tasks, await access.FilterAsync(action, cancellationToken)).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);

    /// <param name="originKey">Set by another module's action (a scenario): the task is made at most once per key.</param>
    public async Task<TaskSaveOutcome> CreateAsync(TaskInput input, CancellationToken cancellationToken, string? originKey = null)
    {
        var now = clock.GetUtcNow();
        var task = new TaskItem { Id = Guid.CreateVersion7(), AuthorId = currentUser.Id, CreatedAt = now, OriginKey = originKey };
        var errors = await ApplyAsync(task, input, isNew: true, cancellationToken);
        if (errors.Count > 0)
        {
            return TaskSaveOutcome.Invalid(errors);
        }

        db.Tasks.Add(task);
        await db.SaveChangesAsync(cancellationToken);
        await activity.CreatedAsync(task, cancellationToken);
        return TaskSaveOutcome.Saved(task);
    }

    public async Task<TaskSaveOutcome> UpdateAsync(TaskItem task, TaskInput input, uint? expectedVersion, CancellationToken cancellationToken)
    {
        if (expectedVersion is { } version && version != task.Version)
        {
            return TaskSaveOutcome.Stale();
        }

        var before = (task.AssigneeId, task.LinkKind, task.LinkId);
        var errors = await ApplyAsync(task, input, isNew: false, cancellationToken);
        if (errors.Count > 0)
        {
            return TaskSaveOutcome.Invalid(errors);
        }

        if (!await SaveAsync(cancellationToken))
        {
            return TaskSaveOutcome.Stale();
        }

        await activity.ChangedAsync(task, before.AssigneeId, before.LinkKind, before.LinkId, cancellationToken);
        return TaskSaveOutcome.Saved(task);
    }

    /// <summary>
    /// Marks the task done with its result and, when asked, schedules the next one (the follow-up call) in
    /// the same save: both happen or neither. The next task's input is checked first, so a mistake in it
    /// loses nothing.
    /// </summary>
    public async Task<TaskSaveOutcome> CompleteAsync(TaskItem task, string? result, TaskInput? next, uint? expectedVersion, CancellationToken cancellationToken)
    {
        if (expectedVersion is { } version && version != task.Version)
        {
            return TaskSaveOutcome.Stale();
        }

        var errors = new Dictionary<string, string>();
        result = string.IsNullOrWhiteSpace(result) ? null : result.Trim();
        if (result is { Length: > TaskItem.ResultLength })
        {
            errors["Result"] = L["The result may be at most {0} characters.", TaskItem.ResultLength];
        }

        if (!task.IsOpen)
        {
            errors["Result"] = L["The task is already closed."];
        }

        TaskItem? follow = null;
        if (next is not null)
        {
            follow = new TaskItem { Id = Guid.CreateVersion7(), AuthorId = currentUser.Id, CreatedAt = clock.GetUtcNow() };
            foreach (var (key, message) in await ApplyAsync(follow, next, isNew: true, cancellationToken))
            {
                errors["Next." + key] = message;
            }
        }

        if (errors.Count > 0)
        {
            return TaskSaveOutcome.Invalid(errors);
        }

        var now = clock.GetUtcNow();
        task.Status = TaskState.Done;
        task.Result = result;
        task.CompletedAt = now;
        task.CompletedById = currentUser.Id;
        task.UpdatedAt = now;
        if (follow is not null)
        {
            db.Tasks.Add(follow);
        }

        if (!await SaveAsync(cancellationToken))
        {
            return TaskSaveOutcome.Stale();
        }

        await activity.CompletedAsync(task, cancellationToken);
        if (follow is not null)
        {
            await activity.CreatedAsync(follow, cancellationToken);
        }

        return TaskSaveOutcome.Saved(follow ?? task);
    }

    /// <summary>Cancelled tasks leave my day and the calendar but stay in lists (status "cancelled").</summary>
    public async Task<TaskSaveOutcome> CancelAsync(TaskItem task, CancellationToken cancellationToken)
    {
        if (!task.IsOpen)
        {
            return TaskSaveOutcome.Invalid(new Dictionary<string, string> { ["Status"] = L["The task is already closed."] });
        }

        task.Status = TaskState.Cancelled;
        task.UpdatedAt = clock.GetUtcNow();
        if (!await SaveAsync(cancellationToken))
        {
            return TaskSaveOutcome.Stale();
        }

        await activity.ChangedAsync(task, task.AssigneeId, task.LinkKind, task.LinkId, cancellationToken);
        return TaskSaveOutcome.Saved(task);
    }

    /// <summary>A done or cancelled task opened again (a mistaken tick).</summary>
    public async Task<TaskSaveOutcome> ReopenAsync(TaskItem task, CancellationToken cancellationToken)
    {
        if (task.IsOpen)
        {
            return TaskSaveOutcome.Saved(task);
        }

        task.Status = TaskState.Open;
        task.Result = null;
        task.CompletedAt = null;
        task.CompletedById = null;
        task.UpdatedAt = clock.GetUtcNow();
        if (!await SaveAsync(cancellationToken))
        {
            return TaskSaveOutcome.Stale();
        }

        await activity.ChangedAsync(task, task.AssigneeId, task.LinkKind, task.LinkId, cancellationToken);
        return TaskSaveOutcome.Saved(task);
    }

    /// <summary>Hides the task and its subtasks (kept in the table, marked deleted).</summary>
    public async Task<bool> DeleteAsync(TaskItem task, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        task.DeletedAt = now;
        task.UpdatedAt = now;
        if (!await SaveAsync(cancellationToken))
        {
            return false;
        }

        await db.Tasks.Where(t => t.ParentId == task.Id && t.DeletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.DeletedAt, now).SetProperty(t => t.UpdatedAt, now), cancellationToken);
        await activity.ChangedAsync(task, task.AssigneeId, task.LinkKind, task.LinkId, cancellationToken);
        return true;
    }

    private async Task<bool> SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    private async Task<Dictionary<string, string>> ApplyAsync(TaskItem task, TaskInput input, bool isNew, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>();
        var title = input.Title?.Trim() ?? "";
        if (title.Length == 0)
        {
            errors[nameof(TaskInput.Title)] = L["Enter what is to be done."];
        }
        else if (title.Length > TaskItem.TitleLength)
        {
            errors[nameof(TaskInput.Title)] = L["The title may be at most {0} characters.", TaskItem.TitleLength];
        }

        var description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        if (description is { Length: > TaskItem.DescriptionLength })
        {
            errors[nameof(TaskInput.Description)] = L["The description may be at most {0} characters.", TaskItem.DescriptionLength];
        }

        if (!Enum.IsDefined(input.Kind))
        {
            errors[nameof(TaskInput.Kind)] = L["Choose the kind of task."];
        }

        if (!Enum.IsDefined(input.Priority))
        {
            errors[nameof(TaskInput.Priority)] = L["Choose the priority."];
        }

        if (input.DueAt is null)
        {
            errors[nameof(TaskInput.DueAt)] = L["Enter when it is due."];
        }

        if (input.ReminderMinutes is < 0 or > MaxReminderMinutes)
        {
            errors[nameof(TaskInput.ReminderMinutes)] = L["A reminder can be from 0 minutes to 7 days before."];
        }

        if (input.DurationMinutes is < 1 or > MaxDurationMinutes)
        {
            errors[nameof(TaskInput.DurationMinutes)] = L["The duration can be from 1 minute to 24 hours."];
        }

        var tags = input.Tags?.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (tags is { Count: > MaxTags } || tags?.Any(t => t.Length > 50) == true)
        {
            errors[nameof(TaskInput.Tags)] = L["At most {0} tags of at most 50 characters each.", MaxTags];
        }

        var assigneeId = input.AssigneeId ?? (isNew ? currentUser.Id : task.AssigneeId);
        var assignee = assigneeId == task.AssigneeId && !isNew ? null : await access.AssignableAsync(assigneeId, cancellationToken);
        if (assigneeId != task.AssigneeId || isNew)
        {
            if (assignee is null)
            {
                errors[nameof(TaskInput.AssigneeId)] = L["You may not set tasks for this user."];
            }
        }

        Contracts.LinkedRecord? link = null;
        var keepsLink = !isNew && task.LinkId is not null && input.LinkId == task.LinkId
            && string.Equals(input.LinkKind, task.LinkKind, StringComparison.OrdinalIgnoreCase);
        if (keepsLink)
        {
            // The same record as before: kept even if the editor cannot see it (a head editing a manager's task).
            link = new Contracts.LinkedRecord(task.LinkKind!, task.LinkId!.Value, task.LinkName ?? "", "", Guid.Empty);
        }
        else if (input.LinkKind is not null || input.LinkId is not null)
        {
            link = await links.FindAsync(input.LinkKind, input.LinkId, cancellationToken);
            if (link is null)
            {
                errors["Link"] = L["The linked record was not found."];
            }
        }

        if (input.ParentId is { } parentId)
        {
            var parent = await TaskAccess.Within(db.Tasks.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken))
                .Where(t => t.Id == parentId).Select(t => new { t.ParentId }).SingleOrDefaultAsync(cancellationToken);
            if (parent is null || parentId == task.Id)
            {
                errors[nameof(TaskInput.ParentId)] = L["The parent task was not found."];
            }
            else if (parent.ParentId is not null)
            {
                errors[nameof(TaskInput.ParentId)] = L["A subtask cannot have subtasks of its own."];
            }
            else if (!isNew && await db.Tasks.AnyAsync(t => t.ParentId == task.Id && t.DeletedAt == null, cancellationToken))
            {
                errors[nameof(TaskInput.ParentId)] = L["A task with subtasks cannot become a subtask."];
            }
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var now = clock.GetUtcNow();
        task.Title = title;
        task.Description = description;
        task.Kind = input.Kind;
        task.Priority = input.Priority;
        if (assignee is not null)
        {
            task.AssigneeId = assignee.Id;
            task.AssigneeDepartmentId = assignee.DepartmentId;
        }

        task.Schedule(input.DueAt!.Value, input.AllDay, input.ReminderMinutes, currentUser.TimeZone);

        // Nobody needs a reminder or an overdue notice for a moment that was already past when the task was set.
        if (task.RemindAt <= now && task.RemindedAt is null)
        {
            task.RemindedAt = now;
        }

        if (task.OverdueAt <= now && task.OverdueNotifiedAt is null)
        {
            task.OverdueNotifiedAt = now;
        }

        task.DurationMinutes = input.DurationMinutes;
        task.LinkKind = link?.Kind;
        task.LinkId = link?.Id;
        task.LinkName = link?.Name;
        task.ParentId = input.ParentId;
        if (tags is not null)
        {
            task.Tags = tags;
        }

        task.UpdatedAt = now;
        return errors;
    }
}
