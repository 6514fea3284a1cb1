using Crm.SharedKernel.Search;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Crm.Web.Features.Search;

/// <summary>
/// The header search box: every module's <see cref="IGlobalSearchProvider"/> answers for its own
/// records, scoped by the access policy; the results are grouped by kind.
/// </summary>
[Authorize]
[Route("search")]
public sealed class SearchController(IEnumerable<IGlobalSearchProvider> providers) : Controller
{
    public const int MinimumLength = 2;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? q, CancellationToken cancellationToken) =>
        View(await SearchAsync(q, limit: 20, cancellationToken));

    /// <summary>The drop-down under the box, fetched by htmx as the user types.</summary>
    [HttpGet("suggest")]
    public async Task<IActionResult> Suggest(string? q, CancellationToken cancellationToken) =>
        PartialView("_Suggestions", await SearchAsync(q, limit: 5, cancellationToken));

    private async Task<SearchResultsViewModel> SearchAsync(string? q, int limit, CancellationToken cancellationToken)
    {
        var query = (q ?? "").Trim();
        if (query.Length < MinimumLength)
        {
            return new SearchResultsViewModel(query, [], TooShort: true);
        }

        var groups = await SearchAsync(query, SearchMode.Literal, limit, cancellationToken);
        if (groups.Count == 0)
        {
            groups = await SearchAsync(query, SearchMode.Fuzzy, limit, cancellationToken);
        }

        return new SearchResultsViewModel(query, groups, TooShort: false);
    }

    private async Task<List<SearchGroup>> SearchAsync(string query, SearchMode mode, int limit, CancellationToken cancellationToken)
    {
        // Providers share the request's DbContexts, which allow one query at a time: run them in turn.
        var groups = new List<SearchGroup>();
        foreach (var provider in providers.OrderBy(p => p.Order))
        {
            var group = await provider.SearchAsync(query, mode, limit, cancellationToken);
            if (group.Hits.Count > 0)
            {
                groups.Add(group);
            }
        }

        return groups;
    }
}

public sealed record SearchResultsViewModel(string Query, IReadOnlyList<SearchGroup> Groups, bool TooShort);
