using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Crm.Web.Features.Search;

/// <summary>The header search box: the full results page and the drop-down htmx fetches as the user types.</summary>
[Authorize]
[Route("search")]
public sealed class SearchController : Controller
{
    public const int MinimumLength = GlobalSearch.MinimumLength;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? q, CancellationToken cancellationToken) =>
        View(await Search.SearchAsync(q, limit: 20, cancellationToken));

    [HttpGet("suggest")]
    public async Task<IActionResult> Suggest(string? q, CancellationToken cancellationToken) =>
        PartialView("_Suggestions", await Search.SearchAsync(q, limit: 5, cancellationToken));

    private GlobalSearch Search => HttpContext.RequestServices.GetRequiredService<GlobalSearch>();
}

public sealed record SearchResultsViewModel(string Query, IReadOnlyList<Crm.SharedKernel.Search.SearchGroup> Groups, bool TooShort);
