using Crm.Deals.Access;
using Crm.Deals.Data;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Search;
using Crm.SharedKernel.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Integration;

/// <summary>
/// Deals in the header search: a number ("2026-00042") or a fragment of the title (trigram index), within
/// the user's view scope. No typo pass: a deal is found by its client's name through the client first.
/// </summary>
internal sealed class DealSearchProvider(DealsDbContext db, DealAccess access, IStringLocalizer<DealsStrings> L) : IGlobalSearchProvider
{
    private const int MinimumLength = 3;

    public int Order => 150;

    public async Task<SearchGroup> SearchAsync(string query, SearchMode mode, int limit, CancellationToken cancellationToken)
    {
        var group = new SearchGroup("deals", L["Deals"], []);
        if (mode != SearchMode.Literal || query.Length < MinimumLength)
        {
            return group;
        }

        var deals = DealAccess.Within(db.Deals.AsNoTracking(), await access.FilterAsync(AccessAction.View, cancellationToken));
        if (DealFilters.ParseNumber(query) is var (year, number))
        {
            deals = deals.Where(d => d.Year == year && d.Number == number);
        }
        else
        {
            var pattern = "%" + query.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            deals = deals.Where(d => EF.Functions.ILike(d.Title, pattern));
        }

        var found = await deals.OrderByDescending(d => d.CreatedAt).Take(limit)
            .Select(d => new { d.Id, d.Year, d.Number, d.Title, d.Amount, d.Currency, d.CompanyName, d.ContactName })
            .ToListAsync(cancellationToken);
        return group with
        {
            Hits = found.Select(d => new SearchHit(
                d.Title,
                string.Join(" · ", new[] { Domain.Deal.FormatNumber(d.Year, d.Number), d.CompanyName ?? d.ContactName, MoneyText.Format(d.Amount, d.Currency, whole: true) }.Where(s => !string.IsNullOrEmpty(s))),
                "/deals/" + d.Id)).ToList(),
        };
    }
}
