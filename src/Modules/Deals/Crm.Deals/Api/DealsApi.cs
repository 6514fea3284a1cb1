using System.Globalization;
using System.Text.Json;
using Crm.CustomFields.Contracts;
using Crm.Deals.Access;
using Crm.Deals.Areas.Deals.Features.List;
using Crm.Deals.Audit;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Editing;
using Crm.Deals.Moving;
using Crm.Deals.Pipelines;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Crm.Deals.Api;

/// <summary>
/// /api/v1/deals: list (the list page's filters, keyset cursor), get, create, partial update, delete,
/// and move, with the rules, scopes and audit of the pages. A deal outside the caller's scope answers
/// 404, exactly like one that does not exist. Stage changes go only through <see cref="DealMover"/>,
/// so the API refuses and asks for fields exactly as the board does.
/// </summary>
internal static class DealsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Fields a patch may not carry: the stage and pipeline change only by a move.</summary>
    private static readonly string[] MoveOnlyFields = ["stageId", "pipelineId"];

    public static void MapDealsApi(this IEndpointRouteBuilder endpoints)
    {
        var deals = endpoints.MapGroup("/api/v1/deals").RequireAuthorization(ApiAuthorization.Policy);
        deals.MapGet("", ListAsync);
        deals.MapGet("/{id:guid}", GetAsync);
        deals.MapPost("", CreateAsync);
        deals.MapPatch("/{id:guid}", UpdateAsync);
        deals.MapDelete("/{id:guid}", DeleteAsync);
        deals.MapPost("/{id:guid}/move", MoveAsync);
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, DealsDbContext db, DealAccess access, PipelineCatalog catalog, ICustomFields customFields, ICurrentUser user, TimeProvider clock,
        IStringLocalizer<DealsStrings> L, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = DealListQuery.Read(http.Request.Query, L, errors);
        if (query.Sort is not null && !DealSorts.IsKnown(query.Sort))
        {
            errors["sort"] = L["Known sorts: {0}, each with a leading - for descending.", string.Join(", ", DealSorts.Keys)];
        }

        var take = DefaultLimit;
        if (http.Request.Query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
        {
            errors["limit"] = L["Enter a number from 1 to {0}.", MaxLimit];
        }

        var set = await customFields.ForAsync(EntityKinds.Deal, query.Pipeline?.ToString(), cancellationToken);
        var filter = query.Filter(user.TimeZone, set, L, errors);
        var sort = DealSorts.For(query.Sort);
        var pipelines = await catalog.PipelinesAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var deals = query.Apply(DealAccess.Within(db.Deals.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken)), filter, user.Id, pipelines, now);
        if (query.Cursor is { } cursor)
        {
            var after = sort.After(deals, cursor);
            if (after is null)
            {
                errors["cursor"] = L["Not a cursor of this list: pass nextCursor as it came, with the same sort."];
            }
            else
            {
                deals = after;
            }
        }

        if (errors.Count > 0)
        {
            return Validation(errors);
        }

        var page = await sort.Order(deals).Take(take + 1).ToListAsync(cancellationToken);
        var next = page.Count > take ? sort.CursorAfter(page[take - 1]) : null;
        var stages = pipelines.SelectMany(p => p.Stages).ToDictionary(s => s.Id);
        return TypedResults.Ok(new DealListResponse(page.Take(take).Select(d => DealDto.From(d, stages.GetValueOrDefault(d.StageId), now, withItems: false)).ToList(), next));
    }

    private static async Task<IResult> GetAsync(
        Guid id, HttpContext http, DealsDbContext db, DealAccess access, PipelineCatalog catalog, TimeProvider clock, IStringLocalizer<DealsStrings> L, CancellationToken cancellationToken)
    {
        var deal = await FindAsync(db.Deals.AsNoTracking(), access, id, AccessAction.View, cancellationToken);
        if (deal is null)
        {
            return NotFound(L);
        }

        return await OkAsync(http, deal, catalog, clock, cancellationToken);
    }

    private static async Task<IResult> CreateAsync(
        JsonElement body, HttpContext http, DealAccess access, DealEditor editor, DealCreation creation,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider clock, IStringLocalizer<DealsStrings> L, CancellationToken cancellationToken)
    {
        if ((await access.FilterAsync(AccessAction.Create, cancellationToken)).Scope == AccessScope.None)
        {
            return Forbidden(L["Your role may not create deals."]);
        }

        if (Read(body, json.Value.SerializerOptions, L, out var problem) is not { } input)
        {
            return problem!;
        }

        var deal = new Deal { Id = Guid.CreateVersion7() };
        var (stage, errors) = await editor.ApplyNewAsync(deal, input.ToInput(partial: false), cancellationToken);
        if (stage is null || errors.Count > 0)
        {
            return Validation(errors);
        }

        await creation.SaveAsync(deal, stage, MoveChannels.Api, cancellationToken);
        http.Response.Headers.ETag = RowVersion.ETag(deal.Version);
        return TypedResults.Created($"/api/v1/deals/{deal.Id}", DealDto.From(deal, stage, clock.GetUtcNow(), withItems: true));
    }

    /// <summary>
    /// Changes only the fields sent. With a version (the body's "version" or If-Match) a change by someone
    /// else since answers 409 and changes nothing; without one, a change racing this one still does.
    /// </summary>
    private static async Task<IResult> UpdateAsync(
        Guid id, JsonElement body, HttpContext http, DealsDbContext db, DealAccess access, DealEditor editor, PipelineCatalog catalog,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider clock, IStringLocalizer<DealsStrings> L, CancellationToken cancellationToken)
    {
        var deal = await FindAsync(db.Deals, access, id, AccessAction.Edit, cancellationToken);
        if (deal is null)
        {
            return NotFound(L);
        }

        if (Read(body, json.Value.SerializerOptions, L, out var problem) is not { } input)
        {
            return problem!;
        }

        if (!TryVersion(http, input.Version, L, out var expected, out var badVersion))
        {
            return badVersion!;
        }

        if (expected is { } seen && seen != deal.Version)
        {
            return Conflict(L);
        }

        var errors = await editor.ApplyChangesAsync(deal, input.ToInput(partial: true), partial: true, MoveChannels.Api, cancellationToken);
        foreach (var field in MoveOnlyFields.Where(input.Has))
        {
            errors.Set(field, L["The stage changes only by a move: POST /api/v1/deals/{0}/move.", deal.Id]);
        }

        if (input.Has("ownerId") && input.OwnerId is null)
        {
            // A deal always has an owner: null is a mistake, not "keep it".
            errors.Set("ownerId", L["Choose a responsible user from the list."]);
        }

        if (errors.Count > 0)
        {
            return Validation(errors);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Conflict(L);
        }

        return await OkAsync(http, deal, catalog, clock, cancellationToken);
    }

    /// <summary>To the recycle bin: the deal disappears from every list, board and report of open deals; audited.</summary>
    private static async Task<IResult> DeleteAsync(
        Guid id, DealsDbContext db, DealAccess access, DealAudit audit, TimeProvider clock, IStringLocalizer<DealsStrings> L, CancellationToken cancellationToken)
    {
        var deal = await FindAsync(db.Deals, access, id, AccessAction.Delete, cancellationToken);
        if (deal is null)
        {
            return NotFound(L);
        }

        deal.DeletedAt = clock.GetUtcNow();
        deal.UpdatedAt = deal.DeletedAt.Value;
        audit.Record(DealAudit.Actions.Deleted, deal.Id, $"{deal.DisplayNumber} «{deal.Title}» (api)");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Conflict(L);
        }

        return TypedResults.NoContent();
    }

    /// <summary>
    /// The board's move, through the same mover: 200 with the deal; 422 with the reason (in the caller's
    /// language) when refused, or with "missingFields" (what to send in "fields", or a lossReasonId) and
    /// "errors" (what was sent and does not fit); 409 on a stale version; 404 out of scope; 403 for a
    /// forced move by anyone but an admin.
    /// </summary>
    private static async Task<IResult> MoveAsync(
        Guid id, MoveRequest request, HttpContext http, DealMover mover, PipelineCatalog catalog, TimeProvider clock, IStringLocalizer<DealsStrings> L, CancellationToken cancellationToken)
    {
        if (request.StageId is not { } stageId)
        {
            return Validation(new Dictionary<string, string> { ["stageId"] = L["Choose a stage."] });
        }

        if (!TryVersion(http, request.Version, L, out var version, out var badVersion))
        {
            return badVersion!;
        }

        var fields = request.Fields?.ToDictionary(
            f => f.Key,
            f => f.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null
                : f.Value.ValueKind == JsonValueKind.Array ? string.Join("\n", f.Value.EnumerateArray().Select(v => v.ToString()))
                : f.Value.ValueKind == JsonValueKind.String ? f.Value.GetString()
                : f.Value.ToString(),
            StringComparer.Ordinal);
        var result = await mover.MoveAsync(
            new MoveCommand(id, stageId, MoveChannels.Api, version, request.LossReasonId, request.LossComment, fields, request.Force ?? false, request.ChangePipeline ?? false),
            cancellationToken);
        return result.Outcome switch
        {
            MoveOutcome.Moved or MoveOutcome.Unchanged => await OkAsync(http, result.Deal!, catalog, clock, cancellationToken),
            MoveOutcome.NotFound => NotFound(L),
            MoveOutcome.Forbidden => Forbidden(result.Message),
            MoveOutcome.Conflict => Conflict(L),
            MoveOutcome.NeedsFields => TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: L["The deal needs more fields for this stage."],
                detail: result.Message,
                extensions: new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["missingFields"] = (result.Missing ?? []).Select(m => new MissingFieldDto(m.Key, m.Label, m.Input, m.Options.Select(o => new OptionDto(o.Value, o.Label)).ToList())).ToList(),
                    ["errors"] = result.Errors ?? new Dictionary<string, string>(),
                }),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: L["The move was refused."], detail: result.Message),
        };
    }

    private static async Task<Deal?> FindAsync(IQueryable<Deal> deals, DealAccess access, Guid id, AccessAction action, CancellationToken cancellationToken) =>
        await DealAccess.Within(deals, await access.FilterAsync(action, cancellationToken)).Include(d => d.Items).SingleOrDefaultAsync(d => d.Id == id, cancellationToken);

    private static async Task<IResult> OkAsync(HttpContext http, Deal deal, PipelineCatalog catalog, TimeProvider clock, CancellationToken cancellationToken)
    {
        var stage = await catalog.FindStageAsync(deal.StageId, cancellationToken);
        http.Response.Headers.ETag = RowVersion.ETag(deal.Version);
        return TypedResults.Ok(DealDto.From(deal, stage?.Stage, clock.GetUtcNow(), withItems: true));
    }

    private static DealBody? Read(JsonElement body, JsonSerializerOptions options, IStringLocalizer L, out IResult? problem)
    {
        var input = DealBody.FromJson(body, options, out var wrong);
        problem = wrong is null ? null
            : Validation(new Dictionary<string, string> { [wrong.Length == 0 ? "$" : wrong] = wrong.Length == 0 ? L["Send the deal as a JSON object."] : L["The value is not of the expected type."] });
        return input;
    }

    /// <summary>The version a caller expects (<see cref="RowVersion.TryExpected"/>), or a 400 when If-Match is not an ETag we gave.</summary>
    private static bool TryVersion(HttpContext http, uint? body, IStringLocalizer L, out uint? version, out IResult? problem)
    {
        problem = RowVersion.TryExpected(http.Request, body, out version)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: L["Bad If-Match"], detail: L["If-Match must be the ETag a GET returned."]);
        return problem is null;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Validation(Dictionary<string, string> errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }, StringComparer.Ordinal));

    /// <summary>The editor's messages by field, named as the body names them ("Items[0].Price" → "items[0].price").</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Validation(DealInputErrors errors) =>
        Validation(errors.ToDictionary(e => DealBody.FieldName(e.Key), e => e.Value, StringComparer.Ordinal));

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(IStringLocalizer L) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: L["Not found"], detail: L["The deal was not found or you may not change it."]);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Forbidden(string? detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Conflict(IStringLocalizer L) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: L["Conflict"], detail: L["Someone else changed this deal meanwhile. Reload to see their changes."]);
}
