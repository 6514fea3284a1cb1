using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Crm.Web.Features.Home;

/// <summary>
/// The start page. Until the dashboards arrive it shows who you are in the CRM and what your role
/// lets you reach for each kind of record, straight from the access policy every module uses.
/// </summary>
[Authorize]
[Route("")]
public sealed class HomeController(IAccessPolicy accessPolicy) : Controller
{
    private static readonly string[] Kinds = [EntityKinds.Lead, EntityKinds.Company, EntityKinds.Contact, EntityKinds.Deal, EntityKinds.Task];

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var rows = new List<RightsRow>();
        foreach (var kind in Kinds)
        {
            var scopes = new Dictionary<AccessAction, AccessScope>();
            foreach (var action in Enum.GetValues<AccessAction>())
            {
                // Cheap: the policy loads the user once per request and the rules from memory.
                scopes[action] = await accessPolicy.GetScopeAsync(kind, action, cancellationToken);
            }

            rows.Add(new RightsRow(kind, scopes));
        }

        return View(new HomeViewModel(rows));
    }
}

public sealed record HomeViewModel(IReadOnlyList<RightsRow> Rights);

public sealed record RightsRow(string Kind, IReadOnlyDictionary<AccessAction, AccessScope> Scopes);
