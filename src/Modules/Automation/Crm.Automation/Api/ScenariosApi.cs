using System.Text.Json;
using System.Text.Json.Nodes;
using Crm.Automation.Areas.Automation.Features.Scenarios;
using Crm.Automation.Data;
using Crm.Automation.Domain;
using Crm.Automation.Running;
using Crm.Deals.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Automation.Api;

/// <summary>
/// A scenario as the API shows it; <see cref="Version"/> is also the ETag. A webhook's secret is never shown:
/// its action says <c>"secretSet": true</c> instead. A PATCH without "secret" (or with an empty one) keeps the
/// stored secret, "secret" replaces it, <c>"removeSecret": true</c> drops it.
/// </summary>
internal sealed record ScenarioDto(
    Guid Id, string Name, string Trigger, Guid? PipelineId, Guid? StageId, IReadOnlyList<ScenarioCondition> Conditions,
    IReadOnlyList<JsonObject> Actions, bool IsActive, Guid RunAsUserId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, uint Version)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ScenarioDto From(Scenario s) =>
        new(s.Id, s.Name, s.Trigger, s.PipelineId, s.StageId, s.Conditions, s.Actions.Select(Action).ToList(), s.IsActive, s.RunAsUserId, s.CreatedAt, s.UpdatedAt, s.Version);

    private static JsonObject Action(ScenarioAction action)
    {
        var json = JsonSerializer.SerializeToNode(action with { Secret = null, SecretCipher = null }, Json)!.AsObject();
        json.Remove("secret");
        json.Remove("secretCipher");
        json.Remove("removeSecret");
        if (action.Kind == ActionKinds.Webhook)
        {
            json["secretSet"] = action.SecretCipher is not null || !string.IsNullOrEmpty(action.Secret);
        }

        return json;
    }
}

/// <summary>The answer of a dry run: whether the conditions hold for the deal and what each action would do.</summary>
internal sealed record DryRunDto(Guid DealId, bool ConditionsHold, string? FailedCondition, IReadOnlyList<DryRunLine> Actions);

/// <summary>
/// /api/v1/scenarios for admins: list (?pipelineId=), get, create, partial update (PATCH: the fields sent), delete,
/// and POST /{id}/dry-run with { "dealId" } (what it would do, changing nothing). The checks are
/// <see cref="ScenarioRules"/>, the ones the admin form uses: mistakes are 422 problem details with "errors" by
/// field ("actions[0].dueOffset"); a body that is not a JSON object is 400; a stale version (the body's
/// "version" or If-Match) 409; anyone but an admin 403, as the admin pages refuse them.
/// </summary>
internal static class ScenariosApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapScenariosApi(this IEndpointRouteBuilder endpoints)
    {
        var scenarios = endpoints.MapGroup("/api/v1/scenarios").RequireAuthorization(ApiAuthorization.Policy);
        scenarios.MapGet("", ListAsync);
        scenarios.MapGet("/{id:guid}", GetAsync);
        scenarios.MapPost("", CreateAsync);
        scenarios.MapPatch("/{id:guid}", UpdateAsync);
        scenarios.MapDelete("/{id:guid}", DeleteAsync);
        scenarios.MapPost("/{id:guid}/dry-run", DryRunAsync);
    }

    private static async Task<IResult> ListAsync(Guid? pipelineId, AutomationDbContext db, ICurrentUser user, IStringLocalizer<AutomationStrings> L, CancellationToken cancellationToken)
    {
        if (!IsAdmin(user))
        {
            return Forbidden(L);
        }

        var query = db.Scenarios.AsNoTracking();
        if (pipelineId is { } pipeline)
        {
            query = query.Where(s => s.PipelineId == pipeline);
        }

        // Scenarios are a few dozen admin-made rows: one page, no cursor.
        var list = await query.OrderBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(list.Select(ScenarioDto.From).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, ScenarioEditor editor, ICurrentUser user, IStringLocalizer<AutomationStrings> L, CancellationToken cancellationToken)
    {
        if (!IsAdmin(user))
        {
            return Forbidden(L);
        }

        return await editor.FindAsync(id, cancellationToken) is { } scenario ? Ok(http, scenario) : NotFound(L);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ScenarioEditor editor, ICurrentUser user, IStringLocalizer<AutomationStrings> L, CancellationToken cancellationToken)
    {
        if (!IsAdmin(user))
        {
            return Forbidden(L);
        }

        if (await ReadAsync(http) is not { } body)
        {
            return NotAnObject(L);
        }

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var draft = Read(body, new ScenarioDraft { Trigger = null }, L, errors, out _);
        if (errors.Count > 0)
        {
            return Invalid(errors, L);
        }

        var saved = await editor.CreateAsync(draft, cancellationToken);
        if (!saved.Succeeded)
        {
            return Invalid(saved.Errors, L);
        }

        http.Response.Headers.ETag = RowVersion.ETag(saved.Scenario!.Version);
        return TypedResults.Created($"/api/v1/scenarios/{saved.Scenario.Id}", ScenarioDto.From(saved.Scenario));
    }

    private static async Task<IResult> UpdateAsync(Guid id, HttpContext http, ScenarioEditor editor, ICurrentUser user, IStringLocalizer<AutomationStrings> L, CancellationToken cancellationToken)
    {
        if (!IsAdmin(user))
        {
            return Forbidden(L);
        }

        var scenario = await editor.FindAsync(id, cancellationToken);
        if (scenario is null)
        {
            return NotFound(L);
        }

        if (await ReadAsync(http) is not { } body)
        {
            return NotAnObject(L);
        }

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var draft = Read(body, ScenarioDraft.From(scenario), L, errors, out var bodyVersion);
        if (errors.Count > 0)
        {
            return Invalid(errors, L);
        }

        if (!RowVersion.TryExpected(http.Request, bodyVersion, out var expected))
        {
            return BadIfMatch(L);
        }

        var saved = await editor.UpdateAsync(scenario, draft, expected, cancellationToken);
        return saved.Conflict ? Conflict(L) : saved.Succeeded ? Ok(http, saved.Scenario!) : Invalid(saved.Errors, L);
    }

    private static async Task<IResult> DeleteAsync(Guid id, HttpContext http, ScenarioEditor editor, ICurrentUser user, IStringLocalizer<AutomationStrings> L, CancellationToken cancellationToken)
    {
        if (!IsAdmin(user))
        {
            return Forbidden(L);
        }

        var scenario = await editor.FindAsync(id, cancellationToken);
        if (scenario is null)
        {
            return NotFound(L);
        }

        if (!RowVersion.TryExpected(http.Request, null, out var expected))
        {
            return BadIfMatch(L);
        }

        return await editor.DeleteAsync(scenario, expected, cancellationToken) ? TypedResults.NoContent() : Conflict(L);
    }

    /// <summary>The saved scenario against a deal, changing nothing. To try unsaved changes use the admin form's dry run.</summary>
    private static async Task<IResult> DryRunAsync(
        Guid id, HttpContext http, ScenarioEditor editor, DryRun dryRun, IDealDirectory deals, ICurrentUser user, IStringLocalizer<AutomationStrings> L,
        CancellationToken cancellationToken)
    {
        if (!IsAdmin(user))
        {
            return Forbidden(L);
        }

        var scenario = await editor.FindAsync(id, cancellationToken);
        if (scenario is null)
        {
            return NotFound(L);
        }

        if (await ReadAsync(http) is not { } body)
        {
            return NotAnObject(L);
        }

        Guid? dealId = null;
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name.Equals("dealId", StringComparison.OrdinalIgnoreCase))
            {
                dealId = property.Value.ValueKind == JsonValueKind.String && property.Value.TryGetGuid(out var parsed) ? parsed : null;
                if (dealId is null)
                {
                    errors["dealId"] = L["Expected the deal's id."];
                }
            }
            else
            {
                errors[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = L["Unknown field."];
            }
        }

        if (!TriggerKinds.IsDealTrigger(scenario.Trigger))
        {
            errors["dealId"] = L["The dry run works on a deal: this scenario's trigger is not about a deal."];
        }
        else if (dealId is null && errors.Count == 0)
        {
            errors["dealId"] = L["Expected the deal's id."];
        }
        else if (dealId is { } wanted && await deals.FindAsync(wanted, cancellationToken) is null)
        {
            errors["dealId"] = L["There is no such deal."];
        }

        if (errors.Count > 0)
        {
            return Invalid(errors, L);
        }

        var result = await dryRun.RunAsync(scenario, dealId!.Value, cancellationToken);
        return TypedResults.Ok(new DryRunDto(dealId.Value, result.FailedCondition is null, result.FailedCondition, result.Actions));
    }

    /// <summary>
    /// The fields sent, over <paramref name="draft"/> (empty for a create, the saved scenario for a PATCH). A
    /// field of the wrong type is an error under its name; an unknown field too, so a typo is not silently lost.
    /// </summary>
    private static ScenarioDraft Read(JsonElement body, ScenarioDraft draft, IStringLocalizer L, Dictionary<string, string> errors, out uint? version)
    {
        version = null;
        foreach (var property in body.EnumerateObject())
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            try
            {
                switch (name)
                {
                    case "name":
                        draft.Name = property.Value.Deserialize<string?>(Json);
                        break;
                    case "trigger":
                        draft.Trigger = property.Value.Deserialize<string?>(Json);
                        break;
                    case "pipelineId":
                        draft.PipelineId = property.Value.Deserialize<Guid?>(Json);
                        break;
                    case "stageId":
                        draft.StageId = property.Value.Deserialize<Guid?>(Json);
                        break;
                    case "conditions":
                        draft.Conditions = property.Value.Deserialize<List<ConditionDraft>>(Json) ?? [];
                        break;
                    case "actions":
                        draft.Actions = property.Value.Deserialize<List<ScenarioAction>>(Json) ?? [];
                        break;
                    case "isActive":
                        draft.IsActive = property.Value.Deserialize<bool>(Json);
                        break;
                    case "version":
                        version = property.Value.Deserialize<uint>(Json);
                        break;
                    case "id" or "runAsUserId" or "createdAt" or "updatedAt":
                        // What a GET returned may be sent back whole: the fields the server keeps are ignored.
                        break;
                    default:
                        errors[name] = L["Unknown field."];
                        break;
                }
            }
            catch (JsonException)
            {
                errors[name] = L["This value has the wrong type."];
            }
        }

        // An action without a kind is not a default task: say so.
        for (var i = 0; i < draft.Actions.Count; i++)
        {
            if (draft.Actions[i] is null)
            {
                errors[$"actions[{i}]"] = L["Expected an object."];
            }
        }

        draft.Actions = draft.Actions.Where(a => a is not null).ToList();
        draft.Conditions = draft.Conditions.Where(c => c is not null).ToList();
        return draft;
    }

    private static async Task<JsonElement?> ReadAsync(HttpContext http)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsAdmin(ICurrentUser user) => user.IsInRole(BuiltInRoles.Admin);

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<ScenarioDto> Ok(HttpContext http, Scenario scenario)
    {
        http.Response.Headers.ETag = RowVersion.ETag(scenario.Version);
        return TypedResults.Ok(ScenarioDto.From(scenario));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Invalid(IReadOnlyDictionary<string, string> errors, IStringLocalizer L) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: L["The scenario was not saved."],
            detail: string.Join(" ", errors.Values.Distinct()),
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["errors"] = errors.ToDictionary(e => e.Key, e => new[] { e.Value }, StringComparer.Ordinal),
            });

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Forbidden(IStringLocalizer L) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: L["Forbidden"], detail: L["Only administrators manage scenarios."]);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotAnObject(IStringLocalizer L) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: L["Bad request"], detail: L["Send a JSON object."]);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult BadIfMatch(IStringLocalizer L) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: L["Bad If-Match"], detail: L["If-Match must be the ETag a GET returned."]);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(IStringLocalizer L) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: L["Not found"], detail: L["There is no such scenario."]);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Conflict(IStringLocalizer L) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: L["Conflict"], detail: L["Someone else saved this scenario meanwhile. Reload to see their changes."]);
}
