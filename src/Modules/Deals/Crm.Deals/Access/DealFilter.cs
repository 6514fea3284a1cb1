using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Crm.Deals.Domain;

namespace Crm.Deals.Access;

/// <summary>
/// The filters the board, the list, the export and the API share (issue: "the same filters"): owner,
/// department, my deals, stalled, a creation period, text, and custom fields ("field equals value",
/// already turned into jsonb containment by the caller). Bound from the query string on pages.
/// </summary>
internal sealed record DealFilter
{
    public Guid? Owner { get; init; }

    public Guid? Department { get; init; }

    public bool Mine { get; init; }

    public bool Stalled { get; init; }

    /// <summary>Created on or after (inclusive, UTC start of the user's day).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Created before (exclusive, UTC start of the day after the user's last day).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Title or client name fragment, or a deal number.</summary>
    public string? Text { get; init; }

    /// <summary>jsonb containment documents, one per custom field filter, all must match.</summary>
    public IReadOnlyList<string> Custom { get; init; } = [];

    public bool IsEmpty => Owner is null && Department is null && !Mine && !Stalled && From is null && To is null && string.IsNullOrWhiteSpace(Text) && Custom.Count == 0;
}

/// <summary>Applies a <see cref="DealFilter"/> to deals already narrowed by <see cref="DealAccess.Within"/>.</summary>
internal static class DealFilters
{
    public static IQueryable<Deal> Apply(IQueryable<Deal> deals, DealFilter filter, Guid currentUserId, IEnumerable<Pipeline> pipelines, DateTimeOffset now)
    {
        if (filter.Mine)
        {
            deals = deals.Where(d => d.OwnerId == currentUserId);
        }

        if (filter.Owner is { } owner)
        {
            deals = deals.Where(d => d.OwnerId == owner);
        }

        if (filter.Department is { } department)
        {
            deals = deals.Where(d => d.OwnerDepartmentId == department);
        }

        if (filter.From is { } from)
        {
            deals = deals.Where(d => d.CreatedAt >= from);
        }

        if (filter.To is { } to)
        {
            deals = deals.Where(d => d.CreatedAt < to);
        }

        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var text = filter.Text.Trim();
            var pattern = "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            var number = ParseNumber(text);
            deals = number is var (year, n)
                ? deals.Where(d => d.Year == year && d.Number == n)
                : deals.Where(d => EF.Functions.ILike(d.Title, pattern)
                    || (d.CompanyName != null && EF.Functions.ILike(d.CompanyName, pattern))
                    || (d.ContactName != null && EF.Functions.ILike(d.ContactName, pattern)));
        }

        foreach (var json in filter.Custom)
        {
            var document = System.Text.Json.JsonDocument.Parse(json);
            deals = deals.Where(d => d.CustomFields != null && EF.Functions.JsonContains(d.CustomFields, document));
        }

        if (filter.Stalled)
        {
            deals = deals.Where(StalledIn(pipelines, now));
        }

        return deals;
    }

    /// <summary>
    /// "Past its stage's time limit", computed from the clock at query time (never a stored flag that goes
    /// stale): one (stage, entered before) pair per stage with a limit, so the stage's index still serves.
    /// </summary>
    public static Expression<Func<Deal, bool>> StalledIn(IEnumerable<Pipeline> pipelines, DateTimeOffset now)
    {
        var deal = Expression.Parameter(typeof(Deal), "d");
        Expression? any = null;
        foreach (var stage in pipelines.SelectMany(p => p.Stages).Where(s => s.Kind == StageKind.Open && !s.IsPause && s.TimeLimitDays is not null))
        {
            // Read through a captured object, not as constants, so EF sends parameters and PostgreSQL
            // reuses the plan: the thresholds change every request, the query's shape does not.
            var limit = Expression.Constant(new StageLimit(stage.Id, now - TimeSpan.FromDays(stage.TimeLimitDays!.Value)));
            var inStage = Expression.Equal(Expression.Property(deal, nameof(Deal.StageId)), Expression.Property(limit, nameof(StageLimit.StageId)));
            var before = Expression.LessThan(Expression.Property(deal, nameof(Deal.StageEnteredAt)), Expression.Property(limit, nameof(StageLimit.EnteredBefore)));
            var both = Expression.AndAlso(inStage, before);
            any = any is null ? both : Expression.OrElse(any, both);
        }

        return Expression.Lambda<Func<Deal, bool>>(any ?? Expression.Constant(false), deal);
    }

    private sealed record StageLimit(Guid StageId, DateTimeOffset EnteredBefore);

    /// <summary>"2026-00042" or "2026-42" → (2026, 42).</summary>
    public static (int Year, int Number)? ParseNumber(string text)
    {
        var parts = text.Trim().Split('-');
        return parts.Length == 2 && parts[0].Length == 4 && int.TryParse(parts[0], out var year) && int.TryParse(parts[1], out var number)
            ? (year, number)
            : null;
    }
}
