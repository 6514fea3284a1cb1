using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Crm.Web.Features.Errors;

/// <summary>
/// Where unhandled exceptions and empty error responses are re-executed: problem details for API
/// paths, a page in the user's language for everything else.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ErrorController : Controller
{
    [Route("error/{code:int}")]
    public IActionResult Index(int code)
    {
        var originalPath = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath
            ?? HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path
            ?? "";
        if (originalPath.Equals("/api", StringComparison.OrdinalIgnoreCase) || originalPath.StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
        {
            return Problem(statusCode: code);
        }

        Response.StatusCode = code;
        return View("Error", code);
    }
}
