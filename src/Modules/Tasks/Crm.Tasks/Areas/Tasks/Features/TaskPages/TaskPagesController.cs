using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.Tasks.Access;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Crm.Tasks.Integration;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Tasks.Areas.Tasks.Features.TaskPages;

/// <summary>
/// A task's own pages: the card, the create and edit form, and cancel, reopen and delete. Every route
/// finds the task within the user's scope for its action (<see cref="TaskAccess"/>); anything else is a
/// 404, so ids reveal nothing. Every change goes through <see cref="TaskEditor"/>.
/// </summary>
[Area("Tasks")]
[Authorize]
[Route("tasks")]
internal sealed class TaskPagesController(
    TasksDbContext db,
    TaskEditor editor,
    TaskAccess access,
    TaskLinks links,
    IUserDirectory users,
    ICurrentUser currentUser,
    TimeProvider clock,
    IStringLocalizerFactory localizers,
    IStringLocalizer<TasksStrings> strings) : Controller
{
    public const int LinkSuggestions = 10;
    public const int SubtasksShown = 100;

    /// <summary>Named L like the views' localizer so the translation check finds every key.</summary>
    private IStringLocalizer<TasksStrings> L => strings;

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Card(Guid id, CancellationToken cancellationToken)
    {
        var task = await editor.FindAsync(id, AccessAction.View, cancellationToken);
        return task is null ? NotFound() : View("Card", await CardAsync(task, cancellationToken));
    }

    [HttpGet("new")]
    public async Task<IActionResult> Create(string? linkKind, Guid? linkId, Guid? parentId, string? returnUrl, CancellationToken cancellationToken)
    {
        var form = new TaskForm { AssigneeId = currentUser.Id, ReturnUrl = LocalOrNull(returnUrl) };
        var (date, time) = DefaultDue();
        (form.DueDate, form.DueTime) = (date, time);

        // A subtask of a task the user can see that is not itself a subtask (one level); anything else is ignored.
        var parent = parentId is { } pid
            ? await TaskAccess.Within(db.Tasks.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken))
                .Where(t => t.Id == pid && t.ParentId == null)
                .Select(t => new { t.Id, t.LinkKind, t.LinkId })
                .SingleOrDefaultAsync(cancellationToken)
            : null;
        form.ParentId = parent?.Id;

        // Opened from a card: the link is that record. A subtask is on its parent's record unless told otherwise.
        var fixedLink = linkKind is not null && linkId is not null;
        if (await links.FindAsync(linkKind ?? parent?.LinkKind, linkId ?? parent?.LinkId, cancellationToken) is { } record)
        {
            (form.LinkKind, form.LinkId, form.LinkName, form.LinkFixed) = (record.Kind, record.Id, record.Name, fixedLink);
        }

        return View("Edit", await FormPageAsync(form, null, cancellationToken));
    }

    [HttpPost("new")]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] TaskForm form, CancellationToken cancellationToken)
    {
        // The form reads its own fields and the editor says what is wrong, in the user's language.
        ModelState.Clear();
        var (input, errors) = form.ToInput(currentUser.TimeZone, L);
        if (errors.Count == 0)
        {
            var outcome = await editor.CreateAsync(input!, cancellationToken);
            if (outcome.Succeeded)
            {
                TempData["toast"] = L["Task «{0}» created.", outcome.Task!.Title].Value;
                return Redirect(LocalOrNull(form.ReturnUrl) ?? "/tasks/" + outcome.Task.Id);
            }

            AddEditorErrors(outcome);
        }

        CopyErrors(errors);
        return View("Edit", await FormPageAsync(form, null, cancellationToken));
    }

    [HttpGet("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, string? returnUrl, CancellationToken cancellationToken)
    {
        var task = await editor.FindAsync(id, AccessAction.Edit, cancellationToken);
        if (task is null)
        {
            return NotFound();
        }

        var form = TaskForm.From(task, currentUser.TimeZone);
        form.ReturnUrl = LocalOrNull(returnUrl);
        return View("Edit", await FormPageAsync(form, task, cancellationToken));
    }

    [HttpPost("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, [Bind(Prefix = "Form")] TaskForm form, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var task = await editor.FindAsync(id, AccessAction.Edit, cancellationToken);
        if (task is null)
        {
            return NotFound();
        }

        var (input, errors) = form.ToInput(currentUser.TimeZone, L);
        if (errors.Count == 0)
        {
            // The form has no version only when posted by hand: then the last save wins, as in the API without one.
            var outcome = await editor.UpdateAsync(task, input!, form.Version, cancellationToken);
            if (outcome.Succeeded)
            {
                TempData["toast"] = L["Changes saved."].Value;
                return Redirect(LocalOrNull(form.ReturnUrl) ?? "/tasks/" + task.Id);
            }

            AddEditorErrors(outcome);
        }

        CopyErrors(errors);

        // The editor may have applied part of the input to the tracked task; the page shows what was typed.
        db.ChangeTracker.Clear();
        return View("Edit", await FormPageAsync(form, task, cancellationToken));
    }

    [HttpPost("{id:guid}/cancel")]
    public Task<IActionResult> Cancel(Guid id, string? returnUrl, CancellationToken cancellationToken) =>
        ChangeStatusAsync(id, returnUrl, editor.CancelAsync, title => L["Task «{0}» cancelled.", title], cancellationToken);

    [HttpPost("{id:guid}/reopen")]
    public Task<IActionResult> Reopen(Guid id, string? returnUrl, CancellationToken cancellationToken) =>
        ChangeStatusAsync(id, returnUrl, editor.ReopenAsync, title => L["Task «{0}» is open again.", title], cancellationToken);

    /// <summary>Cancel or reopen: within the Edit scope (else 404), through the editor, told in a toast.</summary>
    private async Task<IActionResult> ChangeStatusAsync(
        Guid id, string? returnUrl, Func<TaskItem, CancellationToken, Task<TaskSaveOutcome>> change, Func<string, LocalizedString> said, CancellationToken cancellationToken)
    {
        var task = await editor.FindAsync(id, AccessAction.Edit, cancellationToken);
        if (task is null)
        {
            return NotFound();
        }

        var outcome = await change(task, cancellationToken);
        TempData["toast"] = Said(outcome, said(task.Title));
        return Redirect(LocalOrNull(returnUrl) ?? "/tasks/" + id);
    }

    [HttpPost("{id:guid}/delete")]
    public async Task<IActionResult> Delete(Guid id, string? returnUrl, CancellationToken cancellationToken)
    {
        var task = await editor.FindAsync(id, AccessAction.Delete, cancellationToken);
        if (task is null)
        {
            return NotFound();
        }

        if (!await editor.DeleteAsync(task, cancellationToken))
        {
            TempData["toast"] = L["Someone else changed this task meanwhile. Reload to see their changes."].Value;
            return Redirect("/tasks/" + id);
        }

        TempData["toast"] = L["Task «{0}» deleted.", task.Title].Value;

        // Back to where the task was opened from, or to its parent, or to the linked record; never to the deleted card.
        var back = LocalOrNull(returnUrl) is { } local && !local.StartsWith("/tasks/" + id, StringComparison.OrdinalIgnoreCase) ? local : null;
        back ??= task.ParentId is { } parentId ? "/tasks/" + parentId : null;
        back ??= (await links.FindAsync(task.LinkKind, task.LinkId, cancellationToken))?.Url;
        return Redirect(back ?? "/tasks");
    }

    /// <summary>The link picker's suggestions: records of the kind whose name matches, within the user's view scope.</summary>
    [HttpGet("links")]
    public async Task<IActionResult> Links(string? kind, string? q, CancellationToken cancellationToken)
    {
        // An unknown kind finds nothing (200 with an empty list: the picker simply shows no suggestions).
        if (links.Find(kind) is not { } target)
        {
            return Json(Array.Empty<object>());
        }

        var text = (q ?? "").Trim();
        var found = await target.SearchAsync(text.Length > 100 ? text[..100] : text, LinkSuggestions, cancellationToken);
        return Json(found.Select(r => new { id = r.Id, name = r.Name, url = r.Url }));
    }

    private async Task<TaskCardPage> CardAsync(TaskItem task, CancellationToken cancellationToken)
    {
        var viewFilter = await access.FilterAsync(AccessAction.View, cancellationToken);
        var subtasks = task.ParentId is null
            ? await TaskAccess.Within(db.Tasks.AsNoTracking(), viewFilter)
                .Where(t => t.ParentId == task.Id)
                .OrderBy(t => t.Status).ThenBy(t => t.DueAt).ThenBy(t => t.Id)
                .Take(SubtasksShown)
                .ToListAsync(cancellationToken)
            : [];
        var parent = task.ParentId is { } parentId
            ? await TaskAccess.Within(db.Tasks.AsNoTracking(), viewFilter).Where(t => t.Id == parentId).Select(t => new { t.Id, t.Title }).SingleOrDefaultAsync(cancellationToken)
            : null;
        var people = await users.GetUsersAsync(
            subtasks.Select(s => s.AssigneeId).Append(task.AssigneeId).Append(task.AuthorId).Concat(task.CompletedById is { } by ? [by] : []).Distinct(),
            cancellationToken);
        var record = await links.FindAsync(task.LinkKind, task.LinkId, cancellationToken);
        var now = clock.GetUtcNow();
        var rows = subtasks.Select(s => new SubtaskRow(
            s.Id, s.Title, s.Kind, s.Status, s.DueAt, s.AllDay, s.IsOverdue(now), people.GetValueOrDefault(s.AssigneeId)?.Initials ?? "—")).ToList();
        var editFilter = await access.FilterAsync(AccessAction.Edit, cancellationToken);
        var deleteFilter = await access.FilterAsync(AccessAction.Delete, cancellationToken);
        return new TaskCardPage(
            task,
            people.GetValueOrDefault(task.AssigneeId)?.FullName ?? "—",
            people.GetValueOrDefault(task.AuthorId)?.FullName ?? "—",
            task.CompletedById is { } completedBy ? people.GetValueOrDefault(completedBy)?.FullName : null,
            LinkKindLabel(task.LinkKind),
            record?.Url,
            parent is null ? null : (parent.Id, parent.Title),
            rows,
            TaskAccess.Allows(editFilter, task),
            TaskAccess.Allows(deleteFilter, task));
    }

    private async Task<TaskFormPage> FormPageAsync(TaskForm form, TaskItem? task, CancellationToken cancellationToken)
    {
        var assignees = (await access.AssignableAsync(cancellationToken)).ToList();
        if (task is not null && assignees.All(a => a.Id != task.AssigneeId) && await users.FindUserAsync(task.AssigneeId, cancellationToken) is { } assignee)
        {
            // The task's assignee stays choosable even when the editor may not set tasks for them.
            assignees.Insert(0, assignee);
        }

        form.AssigneeId ??= currentUser.Id;
        string? parentTitle = null;
        if (form.ParentId is { } parentId)
        {
            parentTitle = await TaskAccess.Within(db.Tasks.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken))
                .Where(t => t.Id == parentId).Select(t => t.Title).SingleOrDefaultAsync(cancellationToken);
        }

        var kinds = links.All.Select(t => new LinkKindChoice(t.Kind, localizers.Create(t.Strings)[t.Label].Value)).ToList();
        var back = LocalOrNull(form.ReturnUrl) ?? (task is not null ? "/tasks/" + task.Id : form.ParentId is { } p ? "/tasks/" + p : "/tasks");
        return new TaskFormPage(form, task?.Id, assignees, kinds, parentTitle, back);
    }

    private string? LinkKindLabel(string? kind) =>
        links.Find(kind) is { } target ? localizers.Create(target.Strings)[target.Label].Value : null;

    /// <summary>The next full hour today in the user's time zone; tomorrow 09:00 late in the evening.</summary>
    private (string Date, string Time) DefaultDue()
    {
        var local = TaskTimes.ToLocal(clock.GetUtcNow(), currentUser.TimeZone);
        var next = local.Date.AddHours(local.Hour + 1);
        if (next.Hour is >= 21 or < 8)
        {
            next = (next.Hour < 8 ? next.Date : next.Date.AddDays(1)).AddHours(9);
        }

        return (next.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), next.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
    }

    private string? LocalOrNull(string? url) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? url : null;

    private string Said(TaskSaveOutcome outcome, LocalizedString done) =>
        outcome.Succeeded ? done.Value
        : outcome.Conflict ? L["Someone else changed this task meanwhile. Reload to see their changes."].Value
        : string.Join(" ", outcome.Errors.Values);

    private void AddEditorErrors(TaskSaveOutcome outcome)
    {
        if (outcome.Conflict)
        {
            ModelState.AddModelError(string.Empty, L["Someone else changed this task meanwhile. Reload to see their changes."]);
        }

        foreach (var (key, message) in outcome.Errors)
        {
            var field = TaskForm.FieldOf(key);
            ModelState.AddModelError(field.Length == 0 ? string.Empty : "Form." + field, message);
        }
    }

    private void CopyErrors(Dictionary<string, string> errors)
    {
        foreach (var (field, message) in errors)
        {
            ModelState.AddModelError("Form." + field, message);
        }
    }
}
