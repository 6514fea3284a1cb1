using Crm.CustomFields.Contracts;
using Crm.Deals.Access;
using Crm.Deals.Audit;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Export;
using Crm.Deals.Pipelines;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Areas.Deals.Features.List;

/// <summary>
/// The deals list: the board's filters (and a pipeline and stage), sorts paged by keyset, the user's
/// columns, bulk reassign and the .xlsx export, all within the access policy's scope for the action.
/// </summary>
[Area("Deals")]
[Authorize]
[Route("deals/list")]
internal sealed class ListController(
    DealsDbContext db,
    DealAccess access,
    PipelineCatalog catalog,
    ICustomFields customFields,
    IUserDirectory users,
    DealOwners owners,
    ICurrentUser currentUser,
    TimeProvider clock,
    IStringLocalizer<DealsStrings> strings) : Controller
{
    public const int PageSize = 50;
    public const int BulkLimit = 500;

    /// <summary>The module's strings; named L like the views' localizer so the translation check finds every key.</summary>
    private IStringLocalizer<DealsStrings> L => strings;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = DealListQuery.Read(Request.Query, L, errors);
        var setting = await SettingAsync(cancellationToken);
        if (DealSorts.IsKnown(query.Sort))
        {
            if (setting?.Sort != query.Sort)
            {
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"INSERT INTO deals.list_settings (user_id, sort) VALUES ({currentUser.Id}, {query.Sort}) ON CONFLICT (user_id) DO UPDATE SET sort = EXCLUDED.sort",
                    cancellationToken);
            }
        }
        else
        {
            query.Sort = DealSorts.IsKnown(setting?.Sort) ? setting!.Sort : DealSorts.Default;
        }

        var set = await customFields.ForAsync(EntityKinds.Deal, query.Pipeline?.ToString(), cancellationToken);
        var filter = query.Filter(currentUser.TimeZone, set, L, errors);
        var pipelines = await catalog.PipelinesAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var sort = DealSorts.For(query.Sort);
        var deals = query.Apply(DealAccess.Within(db.Deals.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken)), filter, currentUser.Id, pipelines, now);
        if (query.Cursor is { } cursor && sort.After(deals, cursor) is { } after)
        {
            deals = after;
        }

        var rows = await sort.Order(deals).Take(PageSize + 1).ToListAsync(cancellationToken);
        var next = rows.Count > PageSize ? sort.CursorAfter(rows[PageSize - 1]) : null;
        rows = rows.Take(PageSize).ToList();

        var ownerChoices = await owners.ChoicesAsync(AccessAction.View, cancellationToken);
        var names = ownerChoices.ToDictionary(u => u.Id);
        var missing = rows.Select(r => r.OwnerId).Where(id => !names.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            foreach (var (id, user) in await users.GetUsersAsync(missing, cancellationToken))
            {
                names[id] = user;
            }
        }

        var context = new DealColumnContext(L, names, Stages(pipelines), currentUser.TimeZone, now, set);
        var all = DealColumns.All(context);
        var shown = DealColumns.Choose(all, setting?.Columns);
        var page = new DealListPage(
            query,
            shown.Select(c => new DealListHeader(c.Key, c.Heading, c.Sort, c.CssClass)).ToList(),
            rows.Select(r => new DealListRow(r.Id, context.IsStalled(r), shown.Select(c => c.Cell(r)).ToList())).ToList(),
            next,
            pipelines,
            ownerChoices,
            await owners.ChoicesAsync(AccessAction.Edit, cancellationToken),
            await DepartmentsAsync(cancellationToken),
            set.Fields,
            errors,
            (await access.FilterAsync(AccessAction.Create, cancellationToken)).Scope != AccessScope.None,
            (await access.FilterAsync(AccessAction.Export, cancellationToken)).Scope != AccessScope.None)
        {
            Choices = [.. shown.Skip(1).Select(c => new DealColumnChoice(c.Key, c.Heading, true)), .. all.Where(c => c.Key != DealColumns.TitleKey && !shown.Contains(c)).Select(c => new DealColumnChoice(c.Key, c.Heading, false))],
            ChooserOpen = Request.Query.ContainsKey("chooser"),
        };
        ViewData["Title"] = L["Deals"].Value;
        return Request.Headers.ContainsKey("HX-Request") ? PartialView("_DealRows", page) : View("Index", page);
    }

    /// <summary>The column chooser: the checked columns in the order they were listed, one moved up or down, or back to the defaults; remembered per user.</summary>
    [HttpPost("columns")]
    public async Task<IActionResult> SaveColumns([FromForm] DealColumnsForm form, CancellationToken cancellationToken)
    {
        var set = await customFields.ForAsync(EntityKinds.Deal, null, cancellationToken);
        var pipelineFields = new List<string>();
        foreach (var pipeline in await catalog.PipelinesAsync(cancellationToken))
        {
            pipelineFields.AddRange((await customFields.ForAsync(EntityKinds.Deal, pipeline.Id.ToString(), cancellationToken)).Fields.Select(f => DealColumns.CustomPrefix + f.Key));
        }

        var context = new DealColumnContext(L, new Dictionary<Guid, UserSummary>(), new Dictionary<Guid, (Pipeline, Stage)>(), currentUser.TimeZone, clock.GetUtcNow(), set);
        var known = DealColumns.All(context).Select(c => c.Key).Concat(pipelineFields).ToHashSet(StringComparer.Ordinal);
        var keys = form.Columns.Where(k => known.Contains(k) && k != DealColumns.TitleKey).Distinct(StringComparer.Ordinal).Take(50).ToList();
        if (form.Move?.Split(':', 2) is [var key, var direction] && keys.IndexOf(key) is var at and >= 0)
        {
            var to = direction == "up" ? at - 1 : at + 1;
            if (to >= 0 && to < keys.Count)
            {
                (keys[at], keys[to]) = (keys[to], keys[at]);
            }
        }
        else if (form.Move?.Split(':') is [var cfPrefix, var cfKey, var cfDirection] && keys.IndexOf(cfPrefix + ":" + cfKey) is var cfAt and >= 0)
        {
            var to = cfDirection == "up" ? cfAt - 1 : cfAt + 1;
            if (to >= 0 && to < keys.Count)
            {
                (keys[cfAt], keys[to]) = (keys[to], keys[cfAt]);
            }
        }

        string[]? columns = form.Move == "reset" ? null : [DealColumns.TitleKey, .. keys];
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO deals.list_settings (user_id, columns) VALUES ({currentUser.Id}, {columns}) ON CONFLICT (user_id) DO UPDATE SET columns = EXCLUDED.columns",
            cancellationToken);
        return Redirect(DealListPage.Path + Back(form.Return, "chooser=1"));
    }

    /// <summary>
    /// Reassigns the selected deals to a user within the edit scope, in one statement over the deals the
    /// user may edit (others among the ids are skipped, and the toast says how many); each deal gets a
    /// timeline line, the log one line with the count.
    /// </summary>
    [HttpPost("bulk")]
    public async Task<IActionResult> Bulk([FromForm] DealBulkForm form, [FromServices] DealAudit audit, [FromServices] DealTimeline timeline, CancellationToken cancellationToken)
    {
        var back = DealListPage.Path + Back(form.Return, null);
        var owner = (await owners.ChoicesAsync(AccessAction.Edit, cancellationToken)).FirstOrDefault(u => u.Id == form.OwnerId);
        if (owner is null)
        {
            TempData["toast"] = L["Choose a responsible user from the list."].Value;
            return Redirect(back);
        }

        var ids = form.Ids.Distinct().Take(BulkLimit).ToArray();
        var reach = DealAccess.Within(db.Deals, await access.FilterAsync(AccessAction.Edit, cancellationToken)).Where(d => ids.Contains(d.Id) && d.OwnerId != owner.Id);
        var targets = await reach.AsNoTracking().Select(d => new { d.Id, d.OwnerId }).ToListAsync(cancellationToken);
        var targetIds = targets.Select(t => t.Id).ToArray();
        var now = clock.GetUtcNow();
        var changed = 0;
        if (targetIds.Length > 0)
        {
            var previous = await users.GetUsersAsync(targets.Select(t => t.OwnerId).Distinct(), cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            changed = await reach.Where(d => targetIds.Contains(d.Id)).ExecuteUpdateAsync(
                d => d.SetProperty(x => x.OwnerId, owner.Id).SetProperty(x => x.OwnerDepartmentId, owner.DepartmentId).SetProperty(x => x.UpdatedAt, now),
                cancellationToken);
            foreach (var target in targets)
            {
                timeline.Write(target.Id, "owner", L["Responsible changed"], $"{(previous.TryGetValue(target.OwnerId, out var was) ? was.FullName : "—")} → {owner.FullName}", now);
            }

            audit.Record(DealAudit.Actions.Reassigned, null, $"to {owner.FullName} ({owner.Id}); {ids.Length} selected, {changed} changed", changed);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var already = await DealAccess.Within(db.Deals.AsNoTracking(), await access.FilterAsync(AccessAction.Edit, cancellationToken))
            .CountAsync(d => ids.Contains(d.Id) && d.OwnerId == owner.Id, cancellationToken);
        var skipped = ids.Length - changed - already;
        TempData["toast"] = skipped > 0
            ? L["{0} deal(s) reassigned to {1}; {2} selected deal(s) are not yours to change.", changed, owner.FullName, skipped].Value
            : L["{0} deal(s) reassigned to {1}.", changed, owner.FullName].Value;
        return Redirect(back);
    }

    /// <summary>
    /// The filtered list as .xlsx within the export scope (a right of its own), streamed row by row, in
    /// the list's sort, with the columns the user shows, in their order. Audited with the filter.
    /// </summary>
    [HttpGet("export")]
    public async Task<IActionResult> Export([FromServices] DealExport export, CancellationToken cancellationToken)
    {
        var scope = await access.FilterAsync(AccessAction.Export, cancellationToken);
        if (scope.Scope == AccessScope.None)
        {
            return Forbid();
        }

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = DealListQuery.Read(Request.Query, L, errors);
        var set = await customFields.ForAsync(EntityKinds.Deal, query.Pipeline?.ToString(), cancellationToken);
        var filter = query.Filter(currentUser.TimeZone, set, L, errors);
        if (errors.Count > 0)
        {
            return ValidationProblem(new ValidationProblemDetails(errors.ToDictionary(e => e.Key, e => new[] { e.Value })));
        }

        var setting = await SettingAsync(cancellationToken);
        var sort = DealSorts.For(DealSorts.IsKnown(query.Sort) ? query.Sort : setting?.Sort);
        var pipelines = await catalog.PipelinesAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var names = (await users.GetActiveUsersAsync(cancellationToken: cancellationToken)).ToDictionary(u => u.Id);
        var context = new DealColumnContext(L, names, Stages(pipelines), currentUser.TimeZone, now, set);
        var columns = DealColumns.Choose(DealColumns.All(context), setting?.Columns).Select(c => new ExportColumn<Deal>(c.Heading, c.Text)).ToArray();
        var rows = sort.Order(query.Apply(DealAccess.Within(db.Deals.AsNoTracking(), scope), filter, currentUser.Id, pipelines, now));
        var result = await export.WriteAsync(rows.AsEnumerable(), columns, query.Describe(), currentUser.Id, cancellationToken);
        return new ResultAction(result);
    }

    /// <summary>Lets an MVC action answer with a minimal-API result.</summary>
    private sealed class ResultAction(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }

    private Task<DealListSetting?> SettingAsync(CancellationToken cancellationToken)
    {
        var me = currentUser.Id;
        return db.ListSettings.AsNoTracking().SingleOrDefaultAsync(s => s.UserId == me, cancellationToken);
    }

    /// <summary>The departments the department filter offers: those in the user's view reach (all for "all", none for "own").</summary>
    private async Task<IReadOnlyList<DepartmentSummary>> DepartmentsAsync(CancellationToken cancellationToken)
    {
        var filter = await access.FilterAsync(AccessAction.View, cancellationToken);
        if (filter.Scope is not (AccessScope.All or AccessScope.Department))
        {
            return [];
        }

        var departments = await users.GetDepartmentsAsync(cancellationToken);
        return filter.Scope == AccessScope.All ? departments : departments.Where(d => filter.DepartmentIds.Contains(d.Id)).ToList();
    }

    private static Dictionary<Guid, (Pipeline, Stage)> Stages(IEnumerable<Pipeline> pipelines) =>
        pipelines.SelectMany(p => p.Stages.Select(s => (p, s))).ToDictionary(x => x.s.Id, x => (x.p, x.s));

    /// <summary>Back to the list's querystring (only a querystring: never a redirect elsewhere).</summary>
    private static string Back(string? query, string? extra)
    {
        var back = query is { Length: > 0 } q && q[0] == '?' && !q.Contains("//", StringComparison.Ordinal) ? q : "?";
        return extra is null ? back : back + (back.Length > 1 ? "&" : "") + extra;
    }
}
