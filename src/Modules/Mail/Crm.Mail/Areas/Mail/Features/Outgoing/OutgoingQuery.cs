using Crm.Mail.Domain;
using Crm.Mail.Records;
using Crm.SharedKernel.Text;
using Crm.SharedKernel.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Mail.Areas.Mail.Features.Outgoing;

/// <summary>
/// The outgoing list's filter as the query string carries it (so a filtered page is a link): status, kind
/// (the record kind, or "none" for a mail about no record), text (a fragment of the recipients or the
/// subject), from and to (dates in the reader's time zone, both days included) and the keyset cursor over
/// (created_at, id), newest first. Mistakes go to <c>errors</c> by field; a filter with a mistake finds nothing.
/// </summary>
internal sealed class OutgoingQuery
{
    public const int TextLength = 100;

    /// <summary>Shorter fragments have no trigram for the indexes to find them by: the query would read the whole table.</summary>
    public const int TextMinLength = 3;

    public const string NoRecord = "none";

    public static readonly IReadOnlyList<string> Kinds = [.. MailRecords.Kinds, NoRecord];

    public MailStatus? Status { get; private init; }

    public string? Kind { get; private init; }

    public string? Text { get; private init; }

    public string? From { get; private init; }

    public string? To { get; private init; }

    public DateTimeOffset? FromAt { get; private set; }

    public DateTimeOffset? ToAt { get; private set; }

    public (DateTimeOffset CreatedAt, Guid Id)? After { get; private set; }

    public bool IsFiltered => Status is not null || Kind is not null || Text is not null || From is not null || To is not null;

    public static OutgoingQuery Read(IQueryCollection query, TimeZoneInfo timeZone, IStringLocalizer L, IDictionary<string, string> errors)
    {
        string? Clean(string name) => query[name].ToString().Trim() is { Length: > 0 } text ? text : null;

        MailStatus? status = null;
        if (Clean("status") is { } statusText)
        {
            if (Enum.TryParse<MailStatus>(statusText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(statusText[0]))
            {
                status = parsed;
            }
            else
            {
                errors["status"] = L["Choose one of the statuses offered."];
            }
        }

        var kind = Clean("kind")?.ToLowerInvariant();
        if (kind is not null && !Kinds.Contains(kind, StringComparer.Ordinal))
        {
            errors["kind"] = L["Choose one of the record kinds offered."];
        }

        var text = Clean("q");
        if (text is not null)
        {
            text = text[..Math.Min(text.Length, TextLength)];
            if (text.Length < TextMinLength)
            {
                errors["q"] = L["Type at least {0} characters.", TextMinLength];
            }
        }

        var result = new OutgoingQuery { Status = status, Kind = kind, Text = text, From = Clean("from"), To = Clean("to") };
        result.FromAt = Moment("from", result.From, timeZone, nextDay: false, L, errors);
        result.ToAt = Moment("to", result.To, timeZone, nextDay: true, L, errors);
        if (Clean("cursor") is { } cursor)
        {
            result.After = KeysetCursor.Decode(cursor);
            if (result.After is null)
            {
                errors["cursor"] = L["This “show more” link is no longer valid: open the list again."];
            }
        }

        return result;
    }

    /// <summary>The mails this filter keeps, newest first, after the cursor.</summary>
    public IQueryable<OutgoingMail> Apply(IQueryable<OutgoingMail> mails)
    {
        if (Status is { } status)
        {
            mails = mails.Where(m => m.Status == status);
        }

        if (Kind == NoRecord)
        {
            mails = mails.Where(m => m.RecordKind == null);
        }
        else if (Kind is { } kind)
        {
            mails = mails.Where(m => m.RecordKind == kind);
        }

        if (Text is { } text)
        {
            // A fragment anywhere in the recipients or the subject, found by the trigram indexes on both.
            var contains = "%" + Like(text) + "%";
            mails = mails.Where(m => EF.Functions.ILike(m.To, contains, "\\") || EF.Functions.ILike(m.Subject, contains, "\\"));
        }

        if (FromAt is { } from)
        {
            mails = mails.Where(m => m.CreatedAt >= from);
        }

        if (ToAt is { } to)
        {
            mails = mails.Where(m => m.CreatedAt < to);
        }

        if (After is var (createdAt, id))
        {
            // Newest first: the next page is what comes before the cursor's (created_at, id), one row-value comparison on the index.
            mails = mails.Where(m => EF.Functions.LessThan(ValueTuple.Create(m.CreatedAt, m.Id), ValueTuple.Create(createdAt, id)));
        }

        return mails.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id);
    }

    /// <summary>The same filter with another cursor, as a query string starting with "?".</summary>
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

        Add("status", Status?.ToString().ToLowerInvariant());
        Add("kind", Kind);
        Add("q", Text);
        Add("from", From);
        Add("to", To);
        Add("cursor", cursor);
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    /// <summary>The typed text with LIKE's wildcards escaped, so "50%" finds "50%" and not everything.</summary>
    private static string Like(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

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
