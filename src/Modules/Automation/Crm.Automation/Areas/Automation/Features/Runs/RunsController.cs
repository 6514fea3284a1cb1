using System.Globalization;
using Crm.Automation.Data;
using Crm.Automation.Domain;
using Crm.Automation.Running;
using Crm.Deals.Contracts;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Automation.Areas.Automation.Features.Runs;

/// <summary>
/// The scenario run log for administrators: runs newest first ("show more" by keyset over (created_at, id)),
/// filtered by scenario, status, deal and period, each with its actions; a failed action can be retried.
/// </summary>
[Area("Automation")]
[Route("admin/scenarios/runs")]
[Authorize(Roles = BuiltInRoles.Admin)]
internal sealed class RunsController(
    RunLog log, AutomationDbContext db, ActionRunner runner, IDealDirectory deals, ICurrentUser currentUser, IStringLocalizer<AutomationStrings> strings) : Controller
{
    public const string Path = "/admin/scenarios/runs";

    /// <summary>Named L like the views' localizer so the translation check finds every key.</summary>
    private IStringLocalizer<AutomationStrings> L => strings;

    private bool IsHtmx => Request.Headers.ContainsKey("HX-Request");

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = await RunLogQuery.ReadAsync(Request.Query, deals, currentUser.TimeZone, L, errors, cancellationToken);
        IReadOnlyList<RunLine> lines = [];
        string? next = null;
        if (errors.Count == 0)
        {
            (lines, next) = await log.PageAsync(query, RunLog.PageSize, cancellationToken);
        }

        var page = new RunLogPage(query, lines, next, errors, currentUser.TimeZone)
        {
            Scenarios = IsHtmx ? [] : await log.ScenariosAsync(cancellationToken),
        };
        return IsHtmx ? PartialView("_Runs", page) : View(page);
    }

    /// <summary>Queues a failed action again (same key: nothing it already did is done twice) and comes back to the log.</summary>
    [HttpPost("actions/{id:guid}/retry")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Retry(Guid id, string? returnUrl, CancellationToken cancellationToken)
    {
        var action = await db.ActionRuns.AsNoTracking().Where(a => a.Id == id).Select(a => new { a.Status, a.Kind }).SingleOrDefaultAsync(cancellationToken);
        if (action is null)
        {
            return NotFound();
        }

        if (action.Status == RunStates.Failed && await runner.RetryAsync(id, cancellationToken))
        {
            TempData["toast"] = L["«{0}» is queued again.", L[RunTexts.Kind(action.Kind)].Value].Value;
        }
        else
        {
            // Its state now, not as read above: another admin's retry may have won in between.
            var status = await db.ActionRuns.AsNoTracking().Where(a => a.Id == id).Select(a => a.Status).SingleAsync(cancellationToken);
            TempData["toast"] = L["Only a failed action can be retried; this one is: {0}.", L[RunTexts.State(status)].Value].Value;
        }

        return Redirect(returnUrl is { Length: > 0 } && Url.IsLocalUrl(returnUrl) ? returnUrl : Path);
    }
}

internal sealed record RunLogPage(
    RunLogQuery Query, IReadOnlyList<RunLine> Lines, string? NextCursor, IReadOnlyDictionary<string, string> Errors, TimeZoneInfo TimeZone)
{
    public IReadOnlyList<(Guid Id, string Name)> Scenarios { get; init; } = [];

    public string Local(DateTimeOffset time) => RunDisplay.Local(time, TimeZone);

    public string? Error(string name) => Errors.TryGetValue(name, out var message) ? message : null;

    /// <summary>Where "show more" and a retry come back to: this filter, from the first page.</summary>
    public string Url(string? cursor = null) => RunsController.Path + Query.QueryString(cursor);
}

/// <summary>Times and durations as the log shows them.</summary>
internal static class RunDisplay
{
    public static string Local(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>"35 ms", "4.2 s", "3 min 5 s", "2 h 10 min", "3 d 4 h".</summary>
    public static string Duration(TimeSpan span, IStringLocalizer L)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalSeconds < 1 ? L["{0} ms", (int)span.TotalMilliseconds].Value
            : span.TotalMinutes < 1 ? L["{0} s", Math.Round(span.TotalSeconds, 1).ToString("0.#", CultureInfo.CurrentCulture)].Value
            : span.TotalHours < 1 ? L["{0} min {1} s", (int)span.TotalMinutes, span.Seconds].Value
            : span.TotalDays < 1 ? L["{0} h {1} min", (int)span.TotalHours, span.Minutes].Value
            : L["{0} d {1} h", (int)span.TotalDays, span.Hours].Value;
    }
}
