using Crm.SharedKernel.Access;
using Crm.SharedKernel.Search;

namespace Crm.Web.Features.Search;

/// <summary>
/// The header box and GET /api/v1/search: every module's provider answers for its own records within
/// the caller's scope; literal matches first, the typo-tolerant pass only when nothing matched.
/// </summary>
/// <summary>GET /api/v1/search?q=: the header search for integrators, with the same scopes.</summary>
internal static class GlobalSearchApi
{
    public static void MapGlobalSearchApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/v1/search", async (string? q, int? limit, GlobalSearch search, CancellationToken cancellationToken) =>
            {
                var result = await search.SearchAsync(q, Math.Clamp(limit ?? 10, 1, 50), cancellationToken);
                return result.TooShort
                    ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Query too short", detail: $"Send at least {GlobalSearch.MinimumLength} characters in q.")
                    : Results.Ok(new { query = result.Query, groups = result.Groups.Select(g => new { kind = g.Kind, title = g.Title, hits = g.Hits }) });
            })
            .RequireAuthorization(ApiAuthorization.Policy);
}

internal sealed class GlobalSearch(IEnumerable<IGlobalSearchProvider> providers)
{
    public const int MinimumLength = 2;

    public async Task<SearchResultsViewModel> SearchAsync(string? q, int limit, CancellationToken cancellationToken)
    {
        var query = (q ?? "").Trim();
        if (query.Length < MinimumLength)
        {
            return new SearchResultsViewModel(query, [], TooShort: true);
        }

        var groups = await RunAsync(query, SearchMode.Literal, limit, cancellationToken);
        if (groups.Count == 0)
        {
            groups = await RunAsync(query, SearchMode.Fuzzy, limit, cancellationToken);
        }

        return new SearchResultsViewModel(query, groups, TooShort: false);
    }

    private async Task<List<SearchGroup>> RunAsync(string query, SearchMode mode, int limit, CancellationToken cancellationToken)
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
