using System.Globalization;
using System.Text.Json;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Web;
using Crm.Tasks.Access;
using Crm.Tasks.Areas.Tasks.Features.List;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Crm.Tasks.Integration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Tasks.Api;

/// <summary>
/// /api/v1/tasks: list (the list page's filters, keyset cursor), get, create, partial update, complete
/// (with an optional follow-up) and delete, all through <see cref="TaskEditor"/>, the path the pages use,
/// so the API checks exactly what a form does. A task outside the caller's scope answers 404, exactly like
/// one that does not exist. Field mistakes are 422 problem details with "errors" by field; a body that is
/// not a JSON object is 400; a stale version 409.
/// </summary>
internal static class TasksApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static void MapTasksApi(this IEndpointRouteBuilder endpoints)
    {
        var tasks = endpoints.MapGroup("/api/v1/tasks").RequireAuthorization(ApiAuthorization.Policy);
        tasks.MapGet("", ListAsync);
        tasks.MapGet("/{id:guid}", GetAsync);
        tasks.MapPost("", CreateAsync);
        tasks.MapPatch("/{id:guid}", UpdateAsync);
        tasks.MapPost("/{id:guid}/complete", CompleteAsync);
        tasks.MapDelete("/{id:guid}", DeleteAsync);
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, TasksDbContext db, TaskAccess access, TaskLinks links, ICurrentUser user, TimeProvider clock,
        IStringLocalizer<TasksStrings> L, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = TaskListQuery.Read(http.Request.Query, links.All.Select(l => l.Kind), user.TimeZone, L, errors);
        var take = DefaultLimit;
        if (http.Request.Query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
        {
            errors["limit"] = L["Enter a number from 1 to {0}.", MaxLimit];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }, StringComparer.Ordinal));
        }

        var now = clock.GetUtcNow();
        var filter = await access.FilterAsync(AccessAction.View, cancellationToken);
        var page = await query.Page(db.Tasks.AsNoTracking(), filter, now, take + 1).ToListAsync(cancellationToken);
        var next = page.Count > take ? TaskListQuery.CursorAfter(page[take - 1]) : null;
        return TypedResults.Ok(new TaskListResponse(page.Take(take).Select(t => TaskDto.From(t, now)).ToList(), next));
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, TaskEditor editor, TimeProvider clock, IStringLocalizer<TasksStrings> L, CancellationToken cancellationToken)
    {
        var task = await editor.FindAsync(id, AccessAction.View, cancellationToken);
        return task is null ? NotFound(L) : Ok(http, task, clock);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, TaskAccess access, TaskEditor editor, TimeProvider clock, IStringLocalizer<TasksStrings> L, CancellationToken cancellationToken)
    {
        if ((await access.FilterAsync(AccessAction.Create, cancellationToken)).Scope == AccessScope.None)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: L["Forbidden"], detail: L["Your role may not create tasks."]);
        }

        if (await ReadAsync(http, L) is not { Body: { } body })
        {
            return NotAnObject(L);
        }

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var input = TaskBody.Read(body, new TaskInput(), "", L, errors, out _);
        if (errors.Count > 0)
        {
            return Invalid(errors, L);
        }

        var outcome = await editor.CreateAsync(input, cancellationToken);
        if (!outcome.Succeeded)
        {
            return Invalid(outcome.Errors, L);
        }

        http.Response.Headers.ETag = RowVersion.ETag(outcome.Task!.Version);
        return TypedResults.Created($"/api/v1/tasks/{outcome.Task.Id}", TaskDto.From(outcome.Task, clock.GetUtcNow()));
    }

    /// <summary>
    /// Changes only the fields sent. With a version (the body's "version" or If-Match) a change by someone
    /// else since answers 409 and changes nothing.
    /// </summary>
    private static async Task<IResult> UpdateAsync(
        Guid id, HttpContext http, TaskEditor editor, TimeProvider clock, IStringLocalizer<TasksStrings> L, CancellationToken cancellationToken)
    {
        var task = await editor.FindAsync(id, AccessAction.Edit, cancellationToken);
        if (task is null)
        {
            return NotFound(L);
        }

        if (await ReadAsync(http, L) is not { Body: { } body })
        {
            return NotAnObject(L);
        }

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var input = TaskBody.Read(body, TaskInput.From(task), "", L, errors, out var bodyVersion);
        if (errors.Count > 0)
        {
            return Invalid(errors, L);
        }

        if (!TryVersion(http, bodyVersion, L, out var expected, out var badVersion))
        {
            return badVersion!;
        }

        var outcome = await editor.UpdateAsync(task, input, expected, cancellationToken);
        return outcome.Conflict ? Conflict(L) : outcome.Succeeded ? Ok(http, outcome.Task!, clock) : Invalid(outcome.Errors, L);
    }

    /// <summary>
    /// Marks the task done with "result"; with "next" (a task body: dueAt at least) schedules the follow-up
    /// in the same save, for the same assignee, kind and record unless the body says otherwise. Answers the
    /// completed task, and the follow-up in "next" when one was made.
    /// </summary>
    private static async Task<IResult> CompleteAsync(
        Guid id, HttpContext http, TaskEditor editor, TimeProvider clock, IStringLocalizer<TasksStrings> L, CancellationToken cancellationToken)
    {
        var task = await editor.FindAsync(id, AccessAction.Edit, cancellationToken);
        if (task is null)
        {
            return NotFound(L);
        }

        var read = await ReadAsync(http, L, emptyIsObject: true);
        if (read.Body is not { } body)
        {
            return NotAnObject(L);
        }

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        string? result = null;
        TaskInput? next = null;
        uint? bodyVersion = null;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name.ToLowerInvariant())
            {
                case "result" when property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    result = property.Value.GetString();
                    break;
                case "result":
                    errors["result"] = L["Expected text."];
                    break;
                case "next" when property.Value.ValueKind == JsonValueKind.Object:
                    var follow = new TaskInput
                    {
                        Title = task.Title, Kind = task.Kind, Priority = task.Priority, AssigneeId = task.AssigneeId,
                        DurationMinutes = task.DurationMinutes, LinkKind = task.LinkKind, LinkId = task.LinkId, ParentId = task.ParentId,
                    };
                    next = TaskBody.Read(property.Value, follow, "next.", L, errors, out _);
                    break;
                case "next" when property.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "next":
                    errors["next"] = L["Expected an object with the next task's fields."];
                    break;
                case "version" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetUInt32(out var version):
                    bodyVersion = version;
                    break;
                case "version":
                    errors["version"] = L["Expected the version a GET returned."];
                    break;
                default:
                    errors[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = L["Unknown field."];
                    break;
            }
        }

        if (errors.Count > 0)
        {
            return Invalid(errors, L);
        }

        if (!TryVersion(http, bodyVersion, L, out var expected, out var badVersion))
        {
            return badVersion!;
        }

        var outcome = await editor.CompleteAsync(task, result, next, expected, cancellationToken);
        if (outcome.Conflict)
        {
            return Conflict(L);
        }

        if (!outcome.Succeeded)
        {
            return Invalid(outcome.Errors, L);
        }

        var now = clock.GetUtcNow();
        http.Response.Headers.ETag = RowVersion.ETag(task.Version);
        return TypedResults.Ok(new CompletedResponse(TaskDto.From(task, now), next is null ? null : TaskDto.From(outcome.Task!, now)));
    }

    /// <summary>Hides the task and its subtasks (the pages' delete).</summary>
    private static async Task<IResult> DeleteAsync(Guid id, TaskEditor editor, IStringLocalizer<TasksStrings> L, CancellationToken cancellationToken)
    {
        var task = await editor.FindAsync(id, AccessAction.Delete, cancellationToken);
        if (task is null)
        {
            return NotFound(L);
        }

        return await editor.DeleteAsync(task, cancellationToken) ? TypedResults.NoContent() : Conflict(L);
    }

    private sealed record BodyRead(JsonElement? Body);

    /// <summary>The body as a JSON object; null Body when it is missing, malformed or not an object.</summary>
    private static async Task<BodyRead> ReadAsync(HttpContext http, IStringLocalizer L, bool emptyIsObject = false)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            return new BodyRead(document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null);
        }
        catch (JsonException)
        {
            if (emptyIsObject && http.Request.ContentLength is null or 0)
            {
                using var empty = JsonDocument.Parse("{}");
                return new BodyRead(empty.RootElement.Clone());
            }

            return new BodyRead(null);
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<TaskDto> Ok(HttpContext http, TaskItem task, TimeProvider clock)
    {
        http.Response.Headers.ETag = RowVersion.ETag(task.Version);
        return TypedResults.Ok(TaskDto.From(task, clock.GetUtcNow()));
    }

    /// <summary>The version a caller expects (<see cref="RowVersion.TryExpected"/>), or a 400 when If-Match is not an ETag we gave.</summary>
    private static bool TryVersion(HttpContext http, uint? body, IStringLocalizer L, out uint? version, out IResult? problem)
    {
        problem = RowVersion.TryExpected(http.Request, body, out version)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: L["Bad If-Match"], detail: L["If-Match must be the ETag a GET returned."]);
        return problem is null;
    }

    /// <summary>422 with the messages by field, named as the body names them.</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Invalid(IReadOnlyDictionary<string, string> errors, IStringLocalizer L) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: L["The task was not saved."],
            detail: string.Join(" ", errors.Values.Distinct()),
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["errors"] = errors.GroupBy(e => TaskBody.FieldName(e.Key), StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Select(e => e.Value).ToArray(), StringComparer.Ordinal),
            });

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotAnObject(IStringLocalizer L) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: L["Bad request"], detail: L["Send the task as a JSON object."]);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(IStringLocalizer L) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: L["Not found"], detail: L["The task was not found or you may not change it."]);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Conflict(IStringLocalizer L) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: L["Conflict"], detail: L["Someone else changed this task meanwhile. Reload to see their changes."]);
}

/// <summary>The answer of POST /api/v1/tasks/{id}/complete: the completed task and the follow-up, if one was scheduled.</summary>
internal sealed record CompletedResponse(TaskDto Task, TaskDto? Next);
