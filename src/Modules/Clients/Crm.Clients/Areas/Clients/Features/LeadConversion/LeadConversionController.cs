using Crm.Clients.Access;
using Crm.Clients.Areas.Clients.Features.Shared;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Areas.Clients.Features.LeadConversion;

/// <summary>The conversion step on a lead card: choose or create the contact and the company, in one form.</summary>
[Area("Clients")]
[Route("leads/{id:guid}/convert")]
[Authorize]
internal sealed class LeadConversionController(ClientsDbContext db, ClientAccess access, ClientCards cards, Domain.LeadConversion conversion, IStringLocalizer<ClientsStrings> L) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(Guid id, CancellationToken cancellationToken)
    {
        var lead = await FindAsync(id, cancellationToken);
        if (lead is null)
        {
            return NotFound();
        }

        var candidates = await conversion.CandidatesAsync(lead, cancellationToken);
        var form = new ConversionForm
        {
            Contact = candidates.Contacts.Count > 0 ? candidates.Contacts[0].Id.ToString() : ConversionForm.New,
            Company = candidates.Companies.Count > 0 ? candidates.Companies[0].Id.ToString() : string.IsNullOrWhiteSpace(lead.CompanyName) ? ConversionForm.None : ConversionForm.New,
            OwnerId = lead.OwnerId,
        };
        return View(await PageAsync(lead, form, candidates, cancellationToken));
    }

    [HttpPost("")]
    public async Task<IActionResult> Convert(Guid id, [Bind(Prefix = "Form")] ConversionForm form, CancellationToken cancellationToken)
    {
        var lead = await FindAsync(id, cancellationToken);
        if (lead is null)
        {
            return NotFound();
        }

        var request = new ConversionRequest(
            Guid.TryParse(form.Contact, out var contactId) ? contactId : null,
            Guid.TryParse(form.Company, out var companyId) ? companyId : null,
            form.Company == ConversionForm.New,
            form.OwnerId ?? lead.OwnerId);
        var (result, errors) = await conversion.ConvertAsync(lead, request, cancellationToken);
        if (result is null)
        {
            errors.CopyTo(ModelState, "Form.");
            return View("Index", await PageAsync(lead, form, await conversion.CandidatesAsync(lead, cancellationToken), cancellationToken));
        }

        TempData["toast"] = L["Lead {0} converted.", lead.Name].Value;
        return Redirect($"/contacts/{result.ContactId}");
    }

    /// <summary>Converting changes the lead: it takes the right to edit it.</summary>
    private async Task<Lead?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await ClientAccess.Within(db.Leads, await access.FilterAsync(ClientKind.Lead, AccessAction.Edit, cancellationToken))
            .SingleOrDefaultAsync(l => l.Id == id, cancellationToken);

    private async Task<ConversionPage> PageAsync(Lead lead, ConversionForm form, ConversionCandidates candidates, CancellationToken cancellationToken) =>
        new(lead, form, candidates, await cards.OwnerChoicesAsync(null, ClientKind.Contact, cancellationToken));
}

internal sealed class ConversionForm
{
    public const string New = "new";
    public const string None = "none";

    /// <summary>"new", or the id of an existing contact.</summary>
    public string Contact { get; set; } = New;

    /// <summary>"none", "new", or the id of an existing company.</summary>
    public string Company { get; set; } = None;

    public Guid? OwnerId { get; set; }
}

internal sealed record ConversionPage(Lead Lead, ConversionForm Form, ConversionCandidates Candidates, IReadOnlyList<Crm.Identity.Contracts.UserSummary> Owners);
