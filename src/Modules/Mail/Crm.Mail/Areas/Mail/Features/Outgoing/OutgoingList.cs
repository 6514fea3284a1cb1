using System.Globalization;
using System.Text.RegularExpressions;
using Crm.Deals.Contracts;
using Crm.Mail.Data;
using Crm.Mail.Domain;
using Crm.Mail.Records;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Web;
using Microsoft.EntityFrameworkCore;

namespace Crm.Mail.Areas.Mail.Features.Outgoing;

/// <summary>What caused a mail, told from its origin key: the compose form's "compose:…", a scenario action's "{run id}:{position}".</summary>
internal enum MailOrigin
{
    Compose,
    Scenario,
    Other,
}

/// <summary>A mail as the list shows it: no bodies or attachments, its account's name, and its deal when it is about one.</summary>
internal sealed record OutgoingLine(
    Guid Id,
    DateTimeOffset CreatedAt,
    MailStatus Status,
    string To,
    string Subject,
    string? RecordKind,
    Guid? RecordId,
    string? AccountName,
    bool AccountGone,
    int Attempts,
    string? LastError,
    MailOrigin Origin,
    string CreatedByName)
{
    public DealSummary? Deal { get; init; }
}

/// <summary>
/// Reads a page of the outgoing queue for the admins' list: one query on the (created_at, id) or
/// (status, created_at, id) index, one for the page's accounts' names and one look-up of its deals in Deals.
/// No count: the list only knows whether there is a next page (it reads one row more).
/// </summary>
internal sealed partial class OutgoingList(MailDbContext db, IDealDirectory deals)
{
    public const int PageSize = 30;

    public async Task<(IReadOnlyList<OutgoingLine> Lines, string? NextCursor)> PageAsync(OutgoingQuery query, int take, CancellationToken cancellationToken)
    {
        var rows = await query.Apply(db.Outgoing.AsNoTracking())
            .Select(m => new { m.Id, m.CreatedAt, m.Status, m.To, m.Subject, m.RecordKind, m.RecordId, m.AccountId, m.Attempts, m.LastError, m.OriginKey, m.CreatedByName })
            .Take(take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take ? KeysetCursor.Encode(rows[take - 1].CreatedAt, rows[take - 1].Id) : null;
        var page = rows.Take(take).ToList();

        var accountIds = page.Where(m => m.AccountId is not null).Select(m => m.AccountId!.Value).Distinct().ToList();
        Dictionary<Guid, string> accountNames = accountIds.Count == 0 ? []
            : await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);

        var dealIds = page.Where(m => m.RecordKind == EntityKinds.Deal && m.RecordId is not null).Select(m => m.RecordId!.Value).Distinct().ToList();
        IReadOnlyDictionary<Guid, DealSummary> dealsFound = dealIds.Count == 0 ? new Dictionary<Guid, DealSummary>() : await deals.FindManyAsync(dealIds, cancellationToken);
        return (page.Select(m => new OutgoingLine(
            m.Id, m.CreatedAt, m.Status, m.To, m.Subject, m.RecordKind, m.RecordId, m.AccountId is { } accountId ? accountNames.GetValueOrDefault(accountId) : null, m.AccountId is { } chosen && !accountNames.ContainsKey(chosen),
            m.Attempts, m.LastError, OriginOf(m.OriginKey), m.CreatedByName)
        {
            Deal = m.RecordKind == EntityKinds.Deal && m.RecordId is { } dealId ? dealsFound.GetValueOrDefault(dealId) : null,
        }).ToList(), next);
    }

    public static MailOrigin OriginOf(string? originKey) =>
        originKey is null ? MailOrigin.Other
        : originKey.StartsWith("compose:", StringComparison.Ordinal) ? MailOrigin.Compose
        : ScenarioActionKey().IsMatch(originKey) ? MailOrigin.Scenario
        : MailOrigin.Other;

    /// <summary>Automation's action key: the run's id and the action's position (ScenarioRunner.ActionKey).</summary>
    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}:[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ScenarioActionKey();

    /// <summary>The record's card, for a link (a deal's own URL when Deals found it).</summary>
    public static string? RecordUrl(OutgoingLine line) =>
        line.Deal?.Url ?? (line.RecordKind is { } kind && line.RecordId is { } id ? MailRecords.CardUrl(kind, id) : null);

    public static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("g", CultureInfo.CurrentCulture);
}
