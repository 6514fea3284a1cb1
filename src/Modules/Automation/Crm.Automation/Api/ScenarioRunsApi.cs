using System.Globalization;
using Crm.Automation.Areas.Automation.Features.Runs;
using Crm.Automation.Data;
using Crm.Automation.Domain;
using Crm.Automation.Running;
using Crm.Deals.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Automation.Api;

internal sealed record ActionRunDto(
    Guid Id, int Position, string Kind, string Status, int Attempts, DateTimeOffset DueAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    string? Outcome, string? Error)
{
    public static ActionRunDto From(ActionRun a, IStringLocalizer L) =>
        new(a.Id, a.Position, a.Kind, a.Status, a.Attempts, a.DueAt, a.StartedAt, a.FinishedAt, Text(a.Outcome, L), Text(a.Error, L));

    /// <summary>A stored text (key and arguments) in the request's language; null stays null.</summary>
    public static string? Text(string? stored, IStringLocalizer L) => stored is null ? null : StoredText.Render(L, stored);
}

/// <summary>A record a run is about: its kind (deal, lead, task), id and card.</summary>
internal sealed record RunRecordDto(string Kind, Guid Id, string Url);

/// <summary>A run: <see cref="Record"/> is what it ran on; dealId, dealNumber and stageId are a deal's run's only (null otherwise).</summary>
internal sealed record ScenarioRunDto(
    Guid Id, Guid ScenarioId, string ScenarioName, string Trigger, RunRecordDto Record, Guid? DealId, string? DealNumber, Guid? StageId, int Depth, Guid? ActorId,
    string Status, string? Note, DateTimeOffset TriggeredAt, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, IReadOnlyList<ActionRunDto> Actions)
{
    public static ScenarioRunDto From(RunLine line, IStringLocalizer L)
    {
        var r = line.Run;
        return new(r.Id, r.ScenarioId, r.ScenarioName, r.Trigger, new RunRecordDto(r.RecordKind, r.RecordId, line.RecordUrl), r.DealId, line.Deal?.Number,
            r.DealId is null ? null : r.StageId, r.Depth, r.ActorId, r.Status, ActionRunDto.Text(r.Note, L),
            r.TriggeredAt, r.CreatedAt, r.FinishedAt, line.Actions.Select(a => ActionRunDto.From(a, L)).ToList());
    }
}

internal sealed record ScenarioRunListResponse(IReadOnlyList<ScenarioRunDto> Items, string? NextCursor);

/// <summary>
/// /api/v1/scenario-runs for administrators: the run log (the page's filters: scenarioId, status, dealId (an
/// id or a number), recordKind and recordId (any record's runs), from, to; keyset cursor; limit), and the retry of a failed action. Anyone else gets 403
/// problem details, like the other admin-only answers; a filter mistake is 400 with "errors" by field; a
/// retry of an action that is not failed (any more: another admin's retry won) is 409. A run's note and an
/// action's outcome and error are written in the request's language (as the log page shows them to its
/// reader), with names, ids and outside messages (an HTTP error) as they were.
/// </summary>
internal static class ScenarioRunsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static void MapScenarioRunsApi(this IEndpointRouteBuilder endpoints)
    {
        var runs = endpoints.MapGroup("/api/v1/scenario-runs").RequireAuthorization(ApiAuthorization.Policy);
        runs.MapGet("", ListAsync);
        runs.MapPost("/actions/{id:guid}/retry", RetryAsync);
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, RunLog log, IDealDirectory deals, ICurrentUser user, IStringLocalizer<AutomationStrings> L, CancellationToken cancellationToken)
    {
        if (!user.IsInRole(BuiltInRoles.Admin))
        {
            return Forbidden(L);
        }

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = await RunLogQuery.ReadAsync(http.Request.Query, deals, user.TimeZone, L, errors, cancellationToken);
        var take = DefaultLimit;
        if (http.Request.Query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
        {
            errors["limit"] = L["Enter a number from 1 to {0}.", MaxLimit];
        }

        if (errors.Count > 0)
        {
            // The page calls the deal "deal"; the API's callers sent "dealId".
            return TypedResults.ValidationProblem(errors.ToDictionary(
                e => e.Key == "deal" && http.Request.Query.ContainsKey("dealId") ? "dealId" : e.Key, e => new[] { e.Value }, StringComparer.Ordinal));
        }

        var (lines, next) = await log.PageAsync(query, take, cancellationToken);
        return TypedResults.Ok(new ScenarioRunListResponse(lines.Select(line => ScenarioRunDto.From(line, L)).ToList(), next));
    }

    /// <summary>Queues a failed action again with its key (nothing it did is done twice); answers the action as it now is.</summary>
    private static async Task<IResult> RetryAsync(
        Guid id, AutomationDbContext db, ActionRunner runner, ICurrentUser user, IStringLocalizer<AutomationStrings> L, CancellationToken cancellationToken)
    {
        if (!user.IsInRole(BuiltInRoles.Admin))
        {
            return Forbidden(L);
        }

        var action = await db.ActionRuns.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (action is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: L["Not found"], detail: L["There is no such scenario action."]);
        }

        if (action.Status != RunStates.Failed || !await runner.RetryAsync(id, cancellationToken))
        {
            // Its state now: another admin's retry may have won between the read above and ours.
            var status = await db.ActionRuns.AsNoTracking().Where(a => a.Id == id).Select(a => a.Status).SingleAsync(cancellationToken);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict, title: L["Conflict"],
                detail: L["Only a failed action can be retried; this one is: {0}.", L[RunTexts.State(status)].Value]);
        }

        var queued = await db.ActionRuns.AsNoTracking().SingleAsync(a => a.Id == id, cancellationToken);
        return TypedResults.Accepted((string?)null, ActionRunDto.From(queued, L));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Forbidden(IStringLocalizer L) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: L["Forbidden"], detail: L["Only administrators may see and retry scenario runs."]);
}
