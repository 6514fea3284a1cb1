using System.ComponentModel.DataAnnotations;
using Crm.Deals.Audit;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Pipelines;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Areas.Deals.Features.LossReasons;

/// <summary>
/// The list of loss reasons a lost deal picks from. A reason is archived, never deleted: old deals keep
/// it, new losses are not offered it (the mover offers only the active ones).
/// </summary>
[Area("Deals")]
[Route("admin/loss-reasons")]
[Authorize(Roles = BuiltInRoles.Admin)]
internal sealed class LossReasonsController(DealsDbContext db, PipelineCatalog catalog, DealAudit audit, IStringLocalizer<DealsStrings> L) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(await ListPageAsync(new LossReasonForm(), cancellationToken));

    [HttpPost("new")]
    public async Task<IActionResult> Create([Bind(Prefix = "New")] LossReasonForm form, CancellationToken cancellationToken)
    {
        await ValidateAsync(form, null, "New.Name", cancellationToken);
        if (!ModelState.IsValid)
        {
            return View("Index", await ListPageAsync(form, cancellationToken));
        }

        var position = await db.LossReasons.Select(r => (int?)r.Position).MaxAsync(cancellationToken) is { } max ? max + 1 : 0;
        var reason = new LossReason { Id = Guid.CreateVersion7(), Name = form.Name.Trim(), Position = position };
        db.LossReasons.Add(reason);
        audit.Record(DealAudit.Actions.Settings, null, L["Loss reason «{0}» added.", reason.Name]);
        await SaveAsync(cancellationToken);
        TempData["toast"] = L["Loss reason «{0}» added.", reason.Name].Value;
        return Redirect("/admin/loss-reasons");
    }

    [HttpGet("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var reason = await db.LossReasons.FindAsync([id], cancellationToken);
        return reason is null ? NotFound() : View(new LossReasonEditPage(id, new LossReasonForm { Name = reason.Name }, reason.IsArchived));
    }

    [HttpPost("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, [Bind(Prefix = "Form")] LossReasonForm form, CancellationToken cancellationToken)
    {
        var reason = await db.LossReasons.FindAsync([id], cancellationToken);
        if (reason is null)
        {
            return NotFound();
        }

        await ValidateAsync(form, id, "Form.Name", cancellationToken);
        if (!ModelState.IsValid)
        {
            return View(new LossReasonEditPage(id, form, reason.IsArchived));
        }

        var name = form.Name.Trim();
        if (name != reason.Name)
        {
            audit.Record(DealAudit.Actions.Settings, null, L["Loss reason renamed: «{0}» → «{1}».", reason.Name, name]);
            reason.Name = name;
            await SaveAsync(cancellationToken);
        }

        TempData["toast"] = L["Loss reason «{0}» saved.", name].Value;
        return Redirect("/admin/loss-reasons");
    }

    [HttpPost("{id:guid}/archive")]
    public Task<IActionResult> Archive(Guid id, CancellationToken cancellationToken) => SetArchivedAsync(id, true, cancellationToken);

    [HttpPost("{id:guid}/restore")]
    public Task<IActionResult> Restore(Guid id, CancellationToken cancellationToken) => SetArchivedAsync(id, false, cancellationToken);

    [HttpPost("order")]
    public async Task<IActionResult> Order([FromForm] List<Guid> ids, CancellationToken cancellationToken)
    {
        var reasons = await db.LossReasons.OrderBy(r => r.Position).ThenBy(r => r.Name).ToListAsync(cancellationToken);
        var rank = ids.Distinct().Select((value, index) => (value, index)).ToDictionary(x => x.value, x => x.index);
        var ordered = reasons.OrderBy(r => rank.TryGetValue(r.Id, out var i) ? i : int.MaxValue).ThenBy(r => r.Position).ToList();
        var changed = false;
        for (var i = 0; i < ordered.Count; i++)
        {
            changed |= ordered[i].Position != i;
            ordered[i].Position = i;
        }

        if (changed)
        {
            audit.Record(DealAudit.Actions.Settings, null, L["Loss reasons reordered: {0}.", string.Join(", ", ordered.Select(r => r.Name))]);
            await SaveAsync(cancellationToken);
        }

        if (Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal))
        {
            return NoContent();
        }

        TempData["toast"] = L["The order is saved."].Value;
        return Redirect("/admin/loss-reasons");
    }

    [HttpPost("{id:guid}/move")]
    public async Task<IActionResult> Move(Guid id, string direction, CancellationToken cancellationToken)
    {
        var ids = await db.LossReasons.OrderBy(r => r.Position).ThenBy(r => r.Name).Select(r => r.Id).ToListAsync(cancellationToken);
        var index = ids.IndexOf(id);
        if (index < 0)
        {
            return NotFound();
        }

        var other = direction == "up" ? index - 1 : index + 1;
        if (other >= 0 && other < ids.Count)
        {
            (ids[index], ids[other]) = (ids[other], ids[index]);
        }

        return await Order(ids, cancellationToken);
    }

    private async Task<IActionResult> SetArchivedAsync(Guid id, bool archived, CancellationToken cancellationToken)
    {
        var reason = await db.LossReasons.FindAsync([id], cancellationToken);
        if (reason is null)
        {
            return NotFound();
        }

        if (reason.IsArchived != archived)
        {
            if (archived && !await db.LossReasons.AnyAsync(r => r.Id != id && !r.IsArchived, cancellationToken))
            {
                TempData["toast"] = L["The last active loss reason cannot be archived: a lost deal needs a reason to choose."].Value;
                return Redirect("/admin/loss-reasons");
            }

            reason.IsArchived = archived;
            audit.Record(DealAudit.Actions.Settings, null, archived ? L["Loss reason «{0}» archived.", reason.Name] : L["Loss reason «{0}» restored.", reason.Name]);
            await SaveAsync(cancellationToken);
        }

        TempData["toast"] = (archived ? L["Loss reason «{0}» archived.", reason.Name] : L["Loss reason «{0}» restored.", reason.Name]).Value;
        return Redirect("/admin/loss-reasons");
    }

    private async Task ValidateAsync(LossReasonForm form, Guid? id, string key, CancellationToken cancellationToken)
    {
        var name = form.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            return;
        }

        var names = await db.LossReasons.Where(r => r.Id != id).Select(r => r.Name).ToListAsync(cancellationToken);
        if (names.Any(n => string.Equals(n.Trim(), name, StringComparison.OrdinalIgnoreCase)))
        {
            ModelState.AddModelError(key, L["This loss reason is already in the list."]);
        }
    }

    private async Task<LossReasonListPage> ListPageAsync(LossReasonForm form, CancellationToken cancellationToken)
    {
        var reasons = await db.LossReasons.AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Name).ToListAsync(cancellationToken);
        var counts = await db.Deals.Where(d => d.LossReasonId != null && d.DeletedAt == null).GroupBy(d => d.LossReasonId!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return new LossReasonListPage(reasons, counts, form);
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        catalog.Changed();
    }
}

internal sealed class LossReasonForm
{
    [Display(Name = "Name")]
    [Required(ErrorMessage = "Enter the name.")]
    [StringLength(200, ErrorMessage = "At most {1} characters.")]
    public string Name { get; set; } = "";
}

internal sealed record LossReasonListPage(IReadOnlyList<LossReason> Reasons, IReadOnlyDictionary<Guid, int> DealCounts, LossReasonForm New);

internal sealed record LossReasonEditPage(Guid Id, LossReasonForm Form, bool IsArchived);
