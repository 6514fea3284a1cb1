using Crm.SharedKernel.Access;
using Crm.Tasks.Areas.Tasks.Features.Shared;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Crm.Tasks.Areas.Tasks.Features.Complete;

/// <summary>
/// Completing a task: the result, and "schedule the next one" (the follow-up call) with its kind, title,
/// date and time, for the same assignee and record, in one save through <see cref="TaskEditor.CompleteAsync"/>.
/// With htmx (my day's dialog) it answers the form or a confirmation and "tasks-changed"; without, a page
/// that goes back where it came from. A task out of the user's edit scope is not found.
/// </summary>
[Area("Tasks")]
[Authorize]
[Route("tasks/{id:guid}/complete")]
internal sealed class CompleteController(TaskEditor editor, TaskDisplay display, ICurrentUser currentUser, IStringLocalizer<TasksStrings> strings) : Controller
{
    /// <summary>Named L like the views' localizer so the translation check finds every key.</summary>
    private IStringLocalizer<TasksStrings> L => strings;

    private bool InModal => Request.Headers.ContainsKey("HX-Request");

    [HttpGet("")]
    public async Task<IActionResult> Form(Guid id, string? returnUrl, CancellationToken cancellationToken)
    {
        var task = await editor.FindAsync(id, AccessAction.Edit, cancellationToken);
        if (task is null)
        {
            return NotFound();
        }

        var follow = task.Kind == TaskKind.Call ? L["Call back: {0}", task.Title].Value : L["Follow up: {0}", task.Title].Value;
        var form = new CompleteForm
        {
            Version = task.Version,
            ReturnUrl = returnUrl,
            NextKind = task.Kind.ToString(),
            NextTitle = follow.Length > TaskItem.TitleLength ? follow[..TaskItem.TitleLength] : follow,
            NextDate = LocalInput.Date(display.Today.AddDays(1)),
            NextTime = task.AllDay ? null : LocalInput.Time(TimeOnly.FromDateTime(display.Local(task.DueAt))),
        };
        var errors = new Dictionary<string, string>();
        if (!task.IsOpen)
        {
            errors[""] = L["The task is already closed."];
        }

        return Answer(new CompletePage(task, form, errors, InModal));
    }

    [HttpPost("")]
    public async Task<IActionResult> Complete(Guid id, [FromForm] CompleteForm form, CancellationToken cancellationToken)
    {
        var task = await editor.FindAsync(id, AccessAction.Edit, cancellationToken);
        if (task is null)
        {
            return NotFound();
        }

        var errors = new Dictionary<string, string>();
        TaskInput? next = null;
        if (form.ScheduleNext)
        {
            if (!LocalInput.TryKind(form.NextKind, out var kind))
            {
                errors[nameof(CompleteForm.NextKind)] = L["Choose the kind of task."];
            }

            var dated = LocalInput.TryDate(form.NextDate, out var date);
            if (!dated)
            {
                errors[nameof(CompleteForm.NextDate)] = L["Enter the date."];
            }

            var timed = LocalInput.TryTime(form.NextTime, out var time);
            if (!timed)
            {
                errors[nameof(CompleteForm.NextTime)] = L["Enter the time as hh:mm or leave it empty."];
            }

            next = new TaskInput
            {
                Title = form.NextTitle,
                Kind = kind,
                Priority = task.Priority,
                AssigneeId = task.AssigneeId,
                DueAt = dated && timed ? TaskTimes.ToInstant(date, time, currentUser.TimeZone) : null,
                AllDay = time is null,
                DurationMinutes = kind == TaskKind.Meeting && time is not null ? task.DurationMinutes ?? 60 : null,
                ReminderMinutes = task.ReminderMinutes,
                LinkKind = task.LinkKind,
                LinkId = task.LinkId,
            };
        }

        if (errors.Count == 0)
        {
            var outcome = await editor.CompleteAsync(task, form.Result, next, form.Version, cancellationToken);
            if (outcome.Succeeded)
            {
                var followUp = next is null ? null : outcome.Task;
                var message = followUp is null
                    ? L["Done: {0}", task.Title].Value
                    : L["Done: {0}. Next: {1}, {2}.", task.Title, followUp.Title, display.When(followUp)].Value;
                if (InModal)
                {
                    Response.Headers["HX-Trigger"] = "tasks-changed";
                    return PartialView("_Completed", new CompletedPage(task, followUp, message));
                }

                TempData["toast"] = message;
                return Redirect(!string.IsNullOrEmpty(form.ReturnUrl) && Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl : "/tasks/" + task.Id);
            }

            if (outcome.Conflict)
            {
                errors[""] = L["Someone changed this task meanwhile. Close the dialog, look at it again and retry."];
                form.Version = null;
            }

            foreach (var (key, message) in outcome.Errors)
            {
                errors[key switch
                {
                    "Result" => nameof(CompleteForm.Result),
                    "Next." + nameof(TaskInput.Title) => nameof(CompleteForm.NextTitle),
                    "Next." + nameof(TaskInput.Kind) => nameof(CompleteForm.NextKind),
                    "Next." + nameof(TaskInput.DueAt) => nameof(CompleteForm.NextDate),
                    _ => "",
                }] = message;
            }
        }

        return Answer(new CompletePage(task, form, errors, InModal));
    }

    private IActionResult Answer(CompletePage page) => page.InModal ? PartialView("_CompleteForm", page) : View("Complete", page);
}

/// <summary>What the completion form posts.</summary>
internal sealed class CompleteForm
{
    public string? Result { get; set; }

    public bool ScheduleNext { get; set; }

    public string? NextKind { get; set; }

    public string? NextTitle { get; set; }

    /// <summary>yyyy-MM-dd, as a date input sends it.</summary>
    public string? NextDate { get; set; }

    /// <summary>HH:mm, or empty for an all-day task.</summary>
    public string? NextTime { get; set; }

    /// <summary>The task's version when the form was shown: completing a task someone just changed is a conflict.</summary>
    public uint? Version { get; set; }

    public string? ReturnUrl { get; set; }
}

internal sealed record CompletePage(TaskItem Task, CompleteForm Form, IReadOnlyDictionary<string, string> Errors, bool InModal)
{
    public string? Error(string field) => Errors.GetValueOrDefault(field);
}

internal sealed record CompletedPage(TaskItem Task, TaskItem? Next, string Message);
