using Crm.CustomFields.Contracts;
using Crm.Deals.Access;
using Crm.Deals.Areas.Deals.Features.Shared;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Moving;
using Crm.Deals.Pipelines;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewEngines;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Areas.Deals.Features.Board;

/// <summary>
/// The Kanban board of a pipeline: columns are its stages, each with its count and sum (one grouped
/// query) and its first cards (one LATERAL query for all columns, newest arrivals first, the order of
/// the ix_deals_board indexes), more cards by keyset as an htmx partial, and the move a dropped card
/// posts, answered as JSON for board.js. Everything within the user's view scope and the filters.
/// </summary>
[Area("Deals")]
[Authorize]
[Route("deals")]
internal sealed class BoardController(
    DealsDbContext db,
    DealAccess access,
    PipelineCatalog catalog,
    DealMover mover,
    IUserDirectory users,
    ICustomFields customFields,
    ICurrentUser currentUser,
    TimeProvider clock,
    IStringLocalizer<DealsStrings> strings) : Controller
{
    public const int PageSize = 50;

    /// <summary>How far back the won and lost columns reach (the column heads say so).</summary>
    public const int ClosedDays = 30;

    public const string PipelineCookie = "crm.deals.pipeline";

    /// <summary>The module's strings; named L like the views' localizer so the translation check finds every key.</summary>
    private IStringLocalizer<DealsStrings> L => strings;

    /// <summary>The board of the pipeline the user looked at last (remembered in a cookie), else the first one.</summary>
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var filters = DealFilterQuery.Read(Request.Query);
        var pipelines = await catalog.PipelinesAsync(cancellationToken);
        if (pipelines.Count == 0)
        {
            return View("NoPipelines");
        }

        var remembered = Guid.TryParse(Request.Cookies[PipelineCookie], out var id) ? pipelines.FirstOrDefault(p => p.Id == id) : null;
        return await BoardAsync(remembered ?? pipelines[0], pipelines, filters, cancellationToken);
    }

    [HttpGet("board/{pipelineId:guid}")]
    public async Task<IActionResult> Board(Guid pipelineId, CancellationToken cancellationToken)
    {
        var filters = DealFilterQuery.Read(Request.Query);
        var pipelines = await catalog.PipelinesAsync(cancellationToken);
        if (pipelines.FirstOrDefault(p => p.Id == pipelineId) is not { } pipeline)
        {
            return NotFound();
        }

        Response.Cookies.Append(PipelineCookie, pipeline.Id.ToString(), new CookieOptions
        {
            Path = "/deals",
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = Request.IsHttps,
            MaxAge = TimeSpan.FromDays(365),
        });
        return await BoardAsync(pipeline, pipelines, filters, cancellationToken);
    }

    /// <summary>The next cards of a column after the keyset position "ticks_id" (htmx, on scroll).</summary>
    [HttpGet("board/{pipelineId:guid}/stages/{stageId:guid}")]
    public async Task<IActionResult> More(Guid pipelineId, Guid stageId, string? after, CancellationToken cancellationToken)
    {
        var filters = DealFilterQuery.Read(Request.Query);
        if (await catalog.FindAsync(pipelineId, cancellationToken) is not { } pipeline || pipeline.Stages.FirstOrDefault(s => s.Id == stageId) is not { } stage)
        {
            return NotFound();
        }

        var board = await ScopeAsync(pipeline, filters, cancellationToken);
        if (board is null)
        {
            return Forbid();
        }

        var deals = board.InStage(stage);
        if (BoardCursor.TryParse(after, out var enteredAt, out var id))
        {
            deals = deals.Where(d => EF.Functions.LessThan(ValueTuple.Create(d.StageEnteredAt, d.Id), ValueTuple.Create(enteredAt, id)));
        }

        var rows = await deals.OrderByDescending(d => d.StageEnteredAt).ThenByDescending(d => d.Id).Take(PageSize + 1)
            .Select(CardRow.FromDeal).ToListAsync(cancellationToken);
        var owners = await users.GetUsersAsync(rows.Select(r => r.OwnerId).Distinct(), cancellationToken);
        var shown = rows.Take(PageSize).ToList();
        return PartialView("_More", new MoreCards(
            stage.Id,
            shown.Select(r => BoardCard.Of(r, stage, owners.GetValueOrDefault(r.OwnerId), board.Now)).ToList(),
            rows.Count > PageSize ? MoreUrl(pipeline, stage, filters, shown[^1]) : null));
    }

    /// <summary>
    /// A card dropped on another column: the one mover with channel "board". Answers JSON: moved (the
    /// card's new markup and version, the column heads again), refused (the reason, in the user's
    /// language), needs fields (the dialog's inputs for exactly what is missing) — all three are answers
    /// of the board, so 200 (the browser logs no failed request); a stale version is 409 and a deal out
    /// of reach 404, with the message.
    /// </summary>
    [HttpPost("{id:guid}/move")]
    public async Task<IActionResult> Move(Guid id, [FromForm] MoveForm form, CancellationToken cancellationToken)
    {
        var filters = DealFilterQuery.Read(Request.Query);
        var result = await mover.MoveAsync(
            new MoveCommand(id, form.StageId, MoveChannels.Board, form.Version, form.LossReasonId, form.LossComment, form.Typed()),
            cancellationToken);
        switch (result.Outcome)
        {
            case MoveOutcome.Moved or MoveOutcome.Unchanged:
                var deal = result.Deal!;
                var pipeline = (await catalog.FindAsync(deal.PipelineId, cancellationToken))!;
                var stage = pipeline.Stages.Single(s => s.Id == deal.StageId);
                var owner = await users.FindUserAsync(deal.OwnerId, cancellationToken);
                var card = BoardCard.Of(CardRow.Of(deal), stage, owner, clock.GetUtcNow());
                var board = await ScopeAsync(pipeline, filters, cancellationToken);
                var totals = board is null ? [] : await TotalsAsync(board, pipeline, cancellationToken);
                return Json(new
                {
                    outcome = "moved",
                    version = deal.Version,
                    card = await RenderAsync("_Cards", new[] { card }),
                    columns = pipeline.Stages.Select(s => Head(pipeline, totals.GetValueOrDefault(s.Id) ?? ColumnTotals.Empty(s.Id))),
                });
            case MoveOutcome.NeedsFields:
                var dialog = await DialogAsync(id, form, result, cancellationToken);
                return Json(new
                {
                    outcome = "needsFields",
                    message = result.Message,
                    missing = dialog.Fields.Select(f => new { key = f.Key, label = f.Label, input = f.Input }),
                    errors = result.Errors ?? new Dictionary<string, string>(),
                    form = await RenderAsync("_MoveFields", dialog),
                });
            case MoveOutcome.Conflict:
                return Answer(StatusCodes.Status409Conflict, new { outcome = "conflict", message = result.Message });
            case MoveOutcome.NotFound:
                return Answer(StatusCodes.Status404NotFound, new { outcome = "notFound", message = result.Message });
            default:
                return Json(new { outcome = "refused", message = result.Message });
        }
    }

    private async Task<IActionResult> BoardAsync(Pipeline pipeline, IReadOnlyList<Pipeline> pipelines, DealFilterQuery filters, CancellationToken cancellationToken)
    {
        var board = await ScopeAsync(pipeline, filters, cancellationToken);
        if (board is null)
        {
            return Forbid();
        }

        var totals = await TotalsAsync(board, pipeline, cancellationToken);

        // All columns' first cards in one query: a UNION ALL of one branch per stage, each reading its newest
        // arrivals by (stage, entered desc, id desc) with a LIMIT, which the board indexes serve by an index
        // scan that stops early. (A correlated subquery would be rewritten by EF into ROW_NUMBER() over the
        // whole pipeline, which sorts every deal of a large won or lost column.)
        IQueryable<Deal>? firstCards = null;
        foreach (var stage in pipeline.Stages)
        {
            var branch = board.InStage(stage)
                .OrderByDescending(d => d.StageEnteredAt).ThenByDescending(d => d.Id).Take(PageSize + 1);
            firstCards = firstCards is null ? branch : firstCards.Concat(branch);
        }

        var rows = firstCards is null ? [] : await firstCards.Select(CardRow.FromDeal).ToListAsync(cancellationToken);
        var owners = await users.GetUsersAsync(rows.Select(r => r.OwnerId).Distinct(), cancellationToken);

        var columns = new List<BoardColumn>();
        foreach (var stage in pipeline.Stages.OrderBy(s => s.IsPause || s.Kind == StageKind.Lost ? 1 : 0).ThenBy(s => s.Position))
        {
            var stageRows = rows.Where(r => r.StageId == stage.Id).OrderByDescending(r => r.StageEnteredAt).ThenByDescending(r => r.Id).ToList();
            var shown = stageRows.Take(PageSize).ToList();
            var head = totals.GetValueOrDefault(stage.Id) ?? ColumnTotals.Empty(stage.Id);
            columns.Add(new BoardColumn(
                stage,
                head,
                MoneyText.Format(head.Sum, pipeline.Currency, whole: true),
                OtherText(head),
                shown.Select(r => BoardCard.Of(r, stage, owners.GetValueOrDefault(r.OwnerId), board.Now)).ToList(),
                stageRows.Count > PageSize ? MoreUrl(pipeline, stage, filters, shown[^1]) : null));
        }

        var canCreate = (await access.FilterAsync(AccessAction.Create, cancellationToken)).Scope != AccessScope.None;
        return View("Index", new BoardPage(pipeline, pipelines, columns, board.Panel, canCreate));
    }

    /// <summary>The pipeline's live deals within the user's view scope and the filters; null when the user may see no deal.</summary>
    private async Task<BoardScope?> ScopeAsync(Pipeline pipeline, DealFilterQuery filters, CancellationToken cancellationToken)
    {
        var scope = await access.FilterAsync(AccessAction.View, cancellationToken);
        if (scope.Scope == AccessScope.None)
        {
            return null;
        }

        var binder = new DealFilterBinder(users, customFields, currentUser, L);
        var (filter, panel) = await binder.BindAsync(filters, scope, pipeline.Id, $"/deals/board/{pipeline.Id}", pipelineInQuery: false, cancellationToken);
        var now = clock.GetUtcNow();

        // No pipeline condition here: every board query reads one stage at a time (InStage), which implies
        // the pipeline and lets the (stage, entered, id) indexes serve it.
        var deals = DealFilters.Apply(DealAccess.Within(db.Deals.AsNoTracking(), scope), filter, scope.UserId, [pipeline], now);
        return new BoardScope(deals, panel, now, now.AddDays(-ClosedDays));
    }

    /// <summary>
    /// Every column's count and sum in one query; other currencies are counted, not summed. One grouped
    /// branch per stage (UNION ALL): each is an index-only range scan of its stage in the board index that
    /// carries amount and currency, where one GROUP BY over the pipeline would visit every deal's row.
    /// </summary>
    private static async Task<Dictionary<Guid, ColumnTotals>> TotalsAsync(BoardScope board, Pipeline pipeline, CancellationToken cancellationToken)
    {
        var currency = pipeline.Currency;
        // An anonymous type, not a record: EF translates a set operation only over a server-side projection.
        var amounts = pipeline.Stages
            .Select(stage => board.InStage(stage).Select(d => new { d.StageId, d.Amount, d.Currency }))
            .Aggregate((all, branch) => all.Concat(branch));
        return await amounts
            .GroupBy(a => a.StageId)
            .Select(g => new ColumnTotals(
                g.Key,
                g.Count(),
                g.Where(a => a.Currency == currency).Sum(a => a.Amount),
                g.Count(a => a.Currency != currency)))
            .ToDictionaryAsync(t => t.StageId, cancellationToken);
    }

    private object Head(Pipeline pipeline, ColumnTotals totals) => new
    {
        stageId = totals.StageId,
        count = totals.Count.ToString("N0"),
        sum = MoneyText.Format(totals.Sum, pipeline.Currency, whole: true),
        other = OtherText(totals),
    };

    private string? OtherText(ColumnTotals totals) =>
        totals.OtherCurrencies > 0 ? L["+ {0} in other currencies", totals.OtherCurrencies].Value : null;

    private static string MoreUrl(Pipeline pipeline, Stage stage, DealFilterQuery filters, CardRow last) =>
        $"/deals/board/{pipeline.Id}/stages/{stage.Id}" + filters.QueryString(new KeyValuePair<string, string?>("after", last.Cursor));

    /// <summary>
    /// The dialog's inputs: the fields the mover found missing, and those typed wrong (with the message),
    /// in the order the stage requires them; custom ones through the CustomFields inputs.
    /// </summary>
    private async Task<MoveDialog> DialogAsync(Guid dealId, MoveForm form, MoveResult result, CancellationToken cancellationToken)
    {
        var target = await catalog.FindStageAsync(form.StageId, cancellationToken);
        var set = await customFields.ForAsync(EntityKinds.Deal, target?.Pipeline.Id.ToString(), cancellationToken);
        var errors = result.Errors ?? new Dictionary<string, string>();
        var fields = (result.Missing ?? []).ToList();
        foreach (var key in errors.Keys.Where(k => fields.All(f => f.Key != k)))
        {
            if (await mover.DescribeAsync(key, set, cancellationToken) is { } field)
            {
                fields.Add(field);
            }
        }

        var order = target?.Stage.RequiredFields ?? [];
        fields = fields.OrderBy(f => f.Key == MissingField.LossReasonKey ? -1 : order.IndexOf(f.Key) is var at and >= 0 ? at : int.MaxValue).ToList();

        CustomFieldInputs? custom = null;
        var definitions = fields.Where(f => f.Custom is not null).Select(f => f.Custom!).ToList();
        if (definitions.Count > 0)
        {
            var typed = form.Custom.ToDictionary(pair => pair.Key, pair => (string?)string.Join('\n', pair.Value), StringComparer.Ordinal);
            var customErrors = errors.Where(e => e.Key.StartsWith(RequirableField.CustomPrefix, StringComparison.Ordinal))
                .ToDictionary(e => e.Key[RequirableField.CustomPrefix.Length..], e => e.Value, StringComparer.Ordinal);
            custom = set.Inputs(null, typed, customErrors, "custom") with { Fields = definitions };
        }

        return new MoveDialog(dealId, form.StageId, form.Version, result.Message, fields, errors, form, custom);
    }

    private static JsonResult Answer(int status, object value) => new(value) { StatusCode = status };

    /// <summary>A partial view of this feature rendered to a string (the card and the dialog go back inside JSON).</summary>
    private async Task<string> RenderAsync(string view, object model)
    {
        var engine = HttpContext.RequestServices.GetRequiredService<ICompositeViewEngine>();
        var found = engine.FindView(ControllerContext, view, isMainPage: false);
        if (!found.Success)
        {
            throw new InvalidOperationException($"The view {view} was not found: {string.Join(", ", found.SearchedLocations)}");
        }

        await using var writer = new StringWriter();
        var data = new ViewDataDictionary(ViewData) { Model = model };
        await found.View.RenderAsync(new ViewContext(ControllerContext, found.View, data, TempData, writer, new HtmlHelperOptions()));
        return writer.ToString();
    }

    private sealed record BoardScope(IQueryable<Deal> Deals, DealFilterPanel Panel, DateTimeOffset Now, DateTimeOffset ClosedSince)
    {
        /// <summary>
        /// A column's deals. Won and lost columns show the closings of the last ClosedDays days, as
        /// Pipedrive's and amoCRM's boards do: a pipeline's all-time closed deals are history for reports,
        /// not the day's work, and counting 100 000 of them on every board load would cost more than all the
        /// rest of the page. The window is a range on the index's second column, so it is read, not filtered.
        /// </summary>
        public IQueryable<Deal> InStage(Stage stage)
        {
            var stageId = stage.Id;
            var since = ClosedSince;
            return stage.IsClosed
                ? Deals.Where(d => d.StageId == stageId && d.StageEnteredAt >= since)
                : Deals.Where(d => d.StageId == stageId);
        }
    }
}
