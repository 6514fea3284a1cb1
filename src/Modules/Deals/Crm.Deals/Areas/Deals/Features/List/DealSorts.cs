using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Crm.Deals.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Crm.Deals.Areas.Deals.Features.List;

/// <summary>
/// One order of the deals list and API: a key and a direction, with the id after the key so equal keys
/// still page deterministically. The next page is a row-value comparison (key, id) &lt; (cursor key,
/// cursor id), never an OFFSET, so a deep page costs what the first one does. The cursor carries the
/// last row's key and id (opaque to callers), so paging needs no look-up of the cursor row.
/// </summary>
internal abstract class DealSort
{
    public required string Key { get; init; }

    public bool Descending { get; init; }

    /// <summary>As the querystring carries it: "amount", "-created".</summary>
    public string Value => Descending ? "-" + Key : Key;

    public abstract IOrderedQueryable<Deal> Order(IQueryable<Deal> deals);

    /// <summary>The cursor of the page that follows <paramref name="last"/>.</summary>
    public abstract string CursorAfter(Deal last);

    /// <summary>The rows after the cursor in this order; null when the cursor is not one of this sort.</summary>
    public abstract IQueryable<Deal>? After(IQueryable<Deal> deals, string cursor);

    protected string Encode(string keyText, Guid id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Value}\n{keyText}\n{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The key's text and the id, when the cursor was made by this sort.</summary>
    protected (string KeyText, Guid Id)? Decode(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - base64.Length % 4) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            var first = text.IndexOf('\n', StringComparison.Ordinal);
            var last = text.LastIndexOf('\n');
            if (first < 0 || last <= first || text[..first] != Value || !Guid.TryParse(text[(last + 1)..], out var id))
            {
                return null;
            }

            return (text[(first + 1)..last], id);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

internal sealed class DealSort<TKey> : DealSort
{
    private Func<Deal, TKey>? _compiled;

    public required Expression<Func<Deal, TKey>> By { get; init; }

    public required Func<TKey, string> Format { get; init; }

    /// <summary>The key from a cursor's text; false when it does not read.</summary>
    public required TryParse<TKey> Parse { get; init; }

    public override IOrderedQueryable<Deal> Order(IQueryable<Deal> deals) =>
        Descending ? deals.OrderByDescending(By).ThenByDescending(d => d.Id) : deals.OrderBy(By).ThenBy(d => d.Id);

    public override string CursorAfter(Deal last) => Encode(Format((_compiled ??= By.Compile())(last)), last.Id);

    public override IQueryable<Deal>? After(IQueryable<Deal> deals, string cursor)
    {
        if (Decode(cursor) is not var (text, id) || !Parse(text, out var key))
        {
            return null;
        }

        Expression<Func<TKey, Guid, bool>> after = Descending
            ? (k, i) => EF.Functions.LessThan(ValueTuple.Create(k, i), ValueTuple.Create(key, id))
            : (k, i) => EF.Functions.GreaterThan(ValueTuple.Create(k, i), ValueTuple.Create(key, id));
        var row = By.Parameters[0];
        var body = ReplacingExpressionVisitor.Replace(after.Parameters[0], By.Body, after.Body);
        body = ReplacingExpressionVisitor.Replace(after.Parameters[1], Expression.Property(row, nameof(Deal.Id)), body);
        return deals.Where(Expression.Lambda<Func<Deal, bool>>(body, row));
    }
}

internal delegate bool TryParse<T>(string text, out T value);

/// <summary>
/// The sorts the deals list offers. "Created" is served by the ix_deals_list* indexes in every scope
/// shape; the others sort the rows of the scope and filter (a top-N sort): quick for a manager's or a
/// department's deals, a scan of the live deals for an admin's whole-company list (see the report).
/// </summary>
internal static class DealSorts
{
    public const string Default = "-created";

    public static readonly string[] Keys = ["created", "amount", "expectedClose", "title", "stageEntered"];

    public static bool IsKnown(string? value) =>
        value is { Length: > 0 } && Keys.Contains(value[0] == '-' ? value[1..] : value, StringComparer.Ordinal);

    /// <summary>The sort the value names ("-amount"), or the default for anything else.</summary>
    public static DealSort For(string? value)
    {
        if (!IsKnown(value))
        {
            value = Default;
        }

        var descending = value![0] == '-';
        var key = descending ? value[1..] : value;
        return key switch
        {
            "amount" => new DealSort<decimal>
            {
                Key = key, Descending = descending, By = d => d.Amount,
                Format = v => v.ToString(CultureInfo.InvariantCulture),
                Parse = (string t, out decimal v) => decimal.TryParse(t, NumberStyles.Number, CultureInfo.InvariantCulture, out v),
            },
            // No date sorts last going up (and first going down): never NULL in the key, so the row-value comparison stays exact.
            "expectedClose" => new DealSort<DateOnly>
            {
                Key = key, Descending = descending, By = d => d.ExpectedClose ?? DateOnly.MaxValue,
                Format = v => v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Parse = (string t, out DateOnly v) => DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out v),
            },
            "title" => new DealSort<string>
            {
                Key = key, Descending = descending, By = d => d.Title,
                Format = v => v,
                Parse = (string t, out string v) => { v = t; return true; },
            },
            "stageEntered" => Time(key, descending, d => d.StageEnteredAt),
            _ => Time("created", descending, d => d.CreatedAt),
        };
    }

    private static DealSort<DateTimeOffset> Time(string key, bool descending, Expression<Func<Deal, DateTimeOffset>> by) => new()
    {
        Key = key, Descending = descending, By = by,
        Format = v => v.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        Parse = (string t, out DateTimeOffset v) =>
        {
            var ok = DateTime.TryParseExact(t, "O", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc);
            v = ok ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) : default;
            return ok;
        },
    };
}
