using Crm.Deals.Access;
using Crm.Deals.Domain;
using Crm.Deals.Pipelines;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Api;

internal sealed record StageDto(Guid Id, string Name, string Color, StageKind Kind, bool IsPause, int Position, int? TimeLimitDays, int Probability, IReadOnlyList<string> RequiredFields);

internal sealed record PipelineDto(Guid Id, string Name, TransitionMode Mode, bool AllowBack, string Currency, int Position, IReadOnlyList<StageDto> Stages)
{
    public static PipelineDto From(Pipeline p) => new(
        p.Id, p.Name, p.Mode, p.AllowBack, p.Currency, p.Position,
        p.Stages.Select(s => new StageDto(s.Id, s.Name, s.Color, s.Kind, s.IsPause, s.Position, s.TimeLimitDays, s.Probability, s.RequiredFields)).ToList());
}

internal sealed record LossReasonDto(Guid Id, string Name, int Position, bool IsArchived);

/// <summary>
/// /api/v1/pipelines and /api/v1/loss-reasons, read only: what a caller needs to create and move deals
/// (stage ids, the order rules, the fields each stage requires, the reasons a lost stage asks for).
/// Anyone who may see deals may read them.
/// </summary>
internal static class PipelinesApi
{
    public static void MapPipelinesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").RequireAuthorization(ApiAuthorization.Policy);
        api.MapGet("/pipelines", ListAsync);
        api.MapGet("/pipelines/{id:guid}", GetAsync);
        api.MapGet("/loss-reasons", LossReasonsAsync);
    }

    private static async Task<IResult> ListAsync(DealAccess access, PipelineCatalog catalog, IStringLocalizer<DealsStrings> L, CancellationToken cancellationToken) =>
        !await MaySeeAsync(access, cancellationToken)
            ? Forbidden(L)
            : TypedResults.Ok((await catalog.PipelinesAsync(cancellationToken)).Select(PipelineDto.From).ToList());

    private static async Task<IResult> GetAsync(Guid id, DealAccess access, PipelineCatalog catalog, IStringLocalizer<DealsStrings> L, CancellationToken cancellationToken)
    {
        if (!await MaySeeAsync(access, cancellationToken))
        {
            return Forbidden(L);
        }

        return await catalog.FindAsync(id, cancellationToken) is { } pipeline
            ? TypedResults.Ok(PipelineDto.From(pipeline))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: L["Not found"], detail: L["There is no such pipeline."]);
    }

    private static async Task<IResult> LossReasonsAsync(DealAccess access, PipelineCatalog catalog, IStringLocalizer<DealsStrings> L, CancellationToken cancellationToken) =>
        !await MaySeeAsync(access, cancellationToken)
            ? Forbidden(L)
            : TypedResults.Ok((await catalog.LossReasonsAsync(cancellationToken)).Select(r => new LossReasonDto(r.Id, r.Name, r.Position, r.IsArchived)).ToList());

    private static async Task<bool> MaySeeAsync(DealAccess access, CancellationToken cancellationToken) =>
        (await access.FilterAsync(AccessAction.View, cancellationToken)).Scope != AccessScope.None;

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Forbidden(IStringLocalizer L) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: L["Your role may not see deals."]);
}
