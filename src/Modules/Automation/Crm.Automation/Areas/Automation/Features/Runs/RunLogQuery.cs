using Crm.SharedKernel.Web;
using System.Globalization;
using System.Text;
using Crm.Automation.Domain;
using Crm.Deals.Contracts;
using Crm.SharedKernel.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Automation.Areas.Automation.Features.Runs;

/// <summary>
/// The run log's filter, read the same way by the page and by GET /api/v1/scenario-runs: scenarioId, status,
/// deal (a number like 2026-00042, or an id; the API's dealId is the same), from and to (dates in the reader's
/// time zone, both days included), recordKind and recordId (the runs of any one record: a lead's, a task's; a deal's
/// too) and the keyset cursor over (created_at, id), newest first. Mistakes go to
/// <c>errors</c> by field; a filter with a mistake finds nothing rather than everything.
/// </summary>
internal sealed class RunLogQuery
{
    public const int DealTextLength = 64;

    public static readonly string[] States =
        [RunStates.Queued, RunStates.Running, RunStates.Succeeded, RunStates.Failed, RunStates.Retrying, RunStates.Skipped];

    public Guid? ScenarioId { get; private init; }

    public string? Status { get; private init; }

    /// <summary>The deal as typed (number or id), shown back in the form.</summary>
    public string? Deal { get; private init; }

    public Guid? DealId { get; private set; }

    /// <summary>The record's kind (deal, lead, task), alone or with <see cref="RecordId"/>.</summary>
    public string? RecordKind { get; private init; }

    public Guid? RecordId { get; private init; }

    public string? From { get; private init; }

    public string? To { get; private init; }

    public DateTimeOffset? FromAt { get; private set; }

    public DateTimeOffset? ToAt { get; private set; }

    public (DateTimeOffset CreatedAt, Guid Id)? After { get; private set; }

    public bool IsFiltered => ScenarioId is not null || Status is not null || Deal is not null || From is not null || To is not null || RecordKind is not null || RecordId is not null;

    /// <summary>The record kinds runs are about, as the filter accepts them.</summary>
    public static IReadOnlyList<string> RecordKinds => [.. TriggerKinds.Registry.Select(t => t.RecordKind).Distinct()];

    public static async Task<RunLogQuery> ReadAsync(
        IQueryCollection query, IDealDirectory deals, TimeZoneInfo timeZone, IStringLocalizer L, IDictionary<string, string> errors, CancellationToken cancellationToken)
    {
        string? Clean(string name) => query[name].ToString().Trim() is { Length: > 0 } text ? text : null;

        Guid? scenarioId = null;
        if (Clean("scenarioId") is { } scenarioText)
        {
            if (Guid.TryParse(scenarioText, out var parsed))
            {
                scenarioId = parsed;
            }
            else
            {
                errors["scenarioId"] = L["Expected a scenario's id."];
            }
        }

        var status = Clean("status")?.ToLowerInvariant();
        if (status is not null && !States.Contains(status, StringComparer.Ordinal))
        {
            errors["status"] = L["Known values: {0}.", string.Join(", ", States)];
        }

        var recordKind = Clean("recordKind")?.ToLowerInvariant();
        if (recordKind is not null && !RecordKinds.Contains(recordKind))
        {
            errors["recordKind"] = L["Known values: {0}.", string.Join(", ", RecordKinds)];
        }

        Guid? recordId = null;
        if (Clean("recordId") is { } recordText)
        {
            if (Guid.TryParse(recordText, out var parsed))
            {
                recordId = parsed;
            }
            else
            {
                errors["recordId"] = L["Expected a record's id."];
            }
        }

        var dealText = Clean("deal") ?? Clean("dealId");
        var result = new RunLogQuery
        {
            RecordKind = recordKind,
            RecordId = recordId,
            ScenarioId = scenarioId,
            Status = status,
            Deal = dealText is null ? null : dealText[..Math.Min(dealText.Length, DealTextLength)],
            From = Clean("from"),
            To = Clean("to"),
        };
        if (result.Deal is { } deal)
        {
            if (Guid.TryParse(deal, out var dealId))
            {
                result.DealId = dealId;
            }
            else if (await deals.FindByNumberAsync(deal, cancellationToken) is { } found)
            {
                result.DealId = found.Id;
            }
            else
            {
                errors["deal"] = L["No deal with this number: enter it as on the card, like 2026-00042."];
            }
        }

        result.FromAt = Moment("from", result.From, timeZone, nextDay: false, L, errors);
        result.ToAt = Moment("to", result.To, timeZone, nextDay: true, L, errors);
        if (Clean("cursor") is { } cursor)
        {
            result.After = KeysetCursor.Decode(cursor);
            if (result.After is null)
            {
                errors["cursor"] = L["Not a cursor of this list: pass nextCursor as it came."];
            }
        }

        return result;
    }

    /// <summary>The runs this filter keeps, newest first, after the cursor.</summary>
    public IQueryable<ScenarioRun> Apply(IQueryable<ScenarioRun> runs)
    {
        if (ScenarioId is { } scenarioId)
        {
            runs = runs.Where(r => r.ScenarioId == scenarioId);
        }

        if (Status is { } status)
        {
            runs = runs.Where(r => r.Status == status);
        }

        if (DealId is { } dealId)
        {
            runs = runs.Where(r => r.RecordKind == Crm.SharedKernel.Access.EntityKinds.Deal && r.RecordId == dealId);
        }

        if (RecordKind is { } recordKind)
        {
            runs = runs.Where(r => r.RecordKind == recordKind);
        }

        if (RecordId is { } recordId)
        {
            runs = runs.Where(r => r.RecordId == recordId);
        }

        if (FromAt is { } from)
        {
            runs = runs.Where(r => r.CreatedAt >= from);
        }

        if (ToAt is { } to)
        {
            runs = runs.Where(r => r.CreatedAt < to);
        }

        if (After is var (createdAt, id))
        {
            // Newest first: the next page is what comes before the cursor's (created_at, id), one row-value comparison on the index.
            runs = runs.Where(r => EF.Functions.LessThan(ValueTuple.Create(r.CreatedAt, r.Id), ValueTuple.Create(createdAt, id)));
        }

        return runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id);
    }

    /// <summary>The opaque cursor of the page after <paramref name="last"/>.</summary>
    public static string CursorAfter(ScenarioRun last) =>
        KeysetCursor.Encode(last.CreatedAt, last.Id);

    /// <summary>The same filter with another cursor, as a querystring starting with "?".</summary>
    public string QueryString(string? cursor = null)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("scenarioId", ScenarioId?.ToString());
        Add("status", Status);
        Add("deal", Deal);
        Add("recordKind", RecordKind);
        Add("recordId", RecordId?.ToString());
        Add("from", From);
        Add("to", To);
        Add("cursor", cursor);
        return "?" + string.Join("&", parts);
    }

    /// <summary>The start of the day (or of the day after, for "to") in the reader's zone, as an instant.</summary>
    private static DateTimeOffset? Moment(string name, string? text, TimeZoneInfo timeZone, bool nextDay, IStringLocalizer L, IDictionary<string, string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (TypedDate.Parse(text) is not { Year: >= 1900 and <= 9000 } day)
        {
            errors[name] = L["Enter a date like 2026-11-22."];
            return null;
        }

        var local = (nextDay ? day.AddDays(1) : day).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A midnight a clock change skipped: the day starts an hour later.
        while (timeZone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, timeZone.GetUtcOffset(local)).ToUniversalTime();
    }
}
