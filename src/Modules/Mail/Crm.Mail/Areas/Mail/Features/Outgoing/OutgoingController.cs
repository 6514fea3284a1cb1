using Crm.Mail.Data;
using Crm.Mail.Domain;
using Crm.Mail.Sending;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Mail.Areas.Mail.Features.Outgoing;

/// <summary>
/// The whole outgoing queue for administrators: every mail newest first ("show more" by keyset over
/// (created_at, id), no count), filtered by status, period, text and record kind; a failed mail can be
/// retried here with the card's own retry (<see cref="MailQueue.RetryAsync"/>).
/// </summary>
[Area("Mail")]
[Route(Path)]
[Authorize(Roles = BuiltInRoles.Admin)]
internal sealed class OutgoingController(
    OutgoingList list, MailDbContext db, MailQueue queue, ICurrentUser currentUser, IStringLocalizer<MailStrings> strings) : Controller
{
    public const string Path = "/admin/mail/outgoing";

    /// <summary>Named L like the views' localizer so the translation check finds every key.</summary>
    private IStringLocalizer<MailStrings> L => strings;

    private bool IsHtmx => Request.Headers.ContainsKey("HX-Request");

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = OutgoingQuery.Read(Request.Query, currentUser.TimeZone, L, errors);
        IReadOnlyList<OutgoingLine> lines = [];
        string? next = null;
        if (errors.Count == 0)
        {
            (lines, next) = await list.PageAsync(query, OutgoingList.PageSize, cancellationToken);
        }

        var page = new OutgoingPage(query, lines, next, errors, currentUser.TimeZone);
        return IsHtmx ? PartialView("_Rows", page) : View(page);
    }

    /// <summary>
    /// Queues a failed mail again and comes back to the list. Two admins pressing at once: the retry's
    /// conditional update lets one of them put it back to Queued (one job, and the job's claim sends it
    /// once); the other is told it is not failed any more.
    /// </summary>
    [HttpPost("{id:guid}/retry")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Retry(Guid id, string? returnUrl, CancellationToken cancellationToken)
    {
        if (!await db.Outgoing.AnyAsync(m => m.Id == id, cancellationToken))
        {
            return NotFound();
        }

        if (await queue.RetryAsync(id, cancellationToken))
        {
            TempData["toast"] = L["The mail is queued for sending again."].Value;
        }
        else
        {
            // Its state now, not as the list showed it: another admin's retry, or the job, may have changed it.
            var status = await db.Outgoing.AsNoTracking().Where(m => m.Id == id).Select(m => m.Status).SingleAsync(cancellationToken);
            TempData["toast"] = L["The mail is not failed any more: nothing to retry. It is: {0}.", L[OutgoingPage.StatusText(status)].Value].Value;
        }

        return Redirect(returnUrl is { Length: > 0 } && Url.IsLocalUrl(returnUrl) ? returnUrl : Path);
    }
}

internal sealed record OutgoingPage(
    OutgoingQuery Query, IReadOnlyList<OutgoingLine> Lines, string? NextCursor, IReadOnlyDictionary<string, string> Errors, TimeZoneInfo TimeZone)
{
    /// <summary>Errors longer than this are cut in the row; the whole text is in its title and its details.</summary>
    public const int ErrorShown = 90;

    public string Local(DateTimeOffset at) => OutgoingList.Local(at, TimeZone);

    public string? Error(string name) => Errors.TryGetValue(name, out var message) ? message : null;

    /// <summary>Where "show more" and a retry come back to: this filter, from the first page.</summary>
    public string Url(string? cursor = null) => OutgoingController.Path + Query.QueryString(cursor);

    public static string StatusText(MailStatus status) => status switch
    {
        MailStatus.Queued => TextKey.Of("queued"),
        MailStatus.Sending => TextKey.Of("sending"),
        MailStatus.Sent => TextKey.Of("sent"),
        _ => TextKey.Of("not sent"),
    };

    /// <summary>Green sent, red failed, blue being sent, grey waiting (the panel's and the run log's colours).</summary>
    public static string StatusBadge(MailStatus status) => status switch
    {
        MailStatus.Sent => "text-bg-success",
        MailStatus.Failed => "text-bg-danger",
        MailStatus.Sending => "text-bg-primary",
        _ => "text-bg-secondary",
    };

    public static string KindText(string? kind) => kind switch
    {
        EntityKinds.Deal => TextKey.Of("Deal"),
        EntityKinds.Company => TextKey.Of("Company"),
        EntityKinds.Contact => TextKey.Of("Contact"),
        EntityKinds.Lead => TextKey.Of("Lead"),
        _ => TextKey.Of("No record"),
    };

    public static string OriginText(MailOrigin origin) => origin switch
    {
        MailOrigin.Compose => TextKey.Of("Written by hand"),
        MailOrigin.Scenario => TextKey.Of("Scenario"),
        _ => TextKey.Of("Other"),
    };

    public static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)].TrimEnd() + "…";
}
