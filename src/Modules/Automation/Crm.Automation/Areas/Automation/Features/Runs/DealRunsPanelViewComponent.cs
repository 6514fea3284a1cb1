using Crm.Deals.Contracts;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Mvc;

namespace Crm.Automation.Areas.Automation.Features.Runs;

/// <summary>
/// The deal card's "Scenarios" panel, for administrators only (others see nothing): the deal's last runs
/// with their states, and a link to the run log filtered by the deal.
/// </summary>
internal sealed class DealRunsPanelViewComponent(RunLog log, IDealDirectory deals, ICurrentUser currentUser) : ViewComponent
{
    public const string Name = "DealRunsPanel";
    public const string ViewPath = "/Areas/Automation/Features/Runs/Panel.cshtml";
    public const int Shown = 5;

    public async Task<IViewComponentResult> InvokeAsync(DealCardSlot slot)
    {
        if (!currentUser.IsInRole(BuiltInRoles.Admin))
        {
            return Content("");
        }

        var cancellationToken = HttpContext.RequestAborted;
        var number = (await deals.FindAsync(slot.DealId, cancellationToken))?.Number;
        var lines = await log.OfDealAsync(slot.DealId, Shown, cancellationToken);
        var logUrl = RunsController.Path + "?deal=" + Uri.EscapeDataString(number ?? slot.DealId.ToString());
        return View(ViewPath, new DealRunsPanel(lines, logUrl, currentUser.TimeZone));
    }
}

internal sealed record DealRunsPanel(IReadOnlyList<RunLine> Lines, string LogUrl, TimeZoneInfo TimeZone);
