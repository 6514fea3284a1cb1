using Crm.Deals.Data;
using Microsoft.EntityFrameworkCore;

namespace Crm.Deals.Domain;

/// <summary>
/// Deal numbers: a sequence per year. One upsert on the year's counter row hands out the next number
/// (or a block of them for an import); a rolled-back transaction leaves a gap, which is allowed.
/// </summary>
internal static class DealNumbers
{
    /// <summary>Reserves <paramref name="count"/> numbers of <paramref name="year"/> and returns the first.</summary>
    public static async Task<int> ReserveAsync(DealsDbContext db, int year, int count, CancellationToken cancellationToken)
    {
        var last = await db.Database.SqlQuery<int>($"""
            INSERT INTO deals.number_counters (year, last) VALUES ({year}, {count})
            ON CONFLICT (year) DO UPDATE SET last = number_counters.last + {count}
            RETURNING last AS "Value"
            """).ToListAsync(cancellationToken);
        return last[0] - count + 1;
    }
}
