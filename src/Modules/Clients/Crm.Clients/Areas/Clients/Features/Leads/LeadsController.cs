using System.ComponentModel.DataAnnotations;
using Crm.Clients.Access;
using Crm.Clients.Areas.Clients.Features.Shared;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Clients.Integration;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Areas.Clients.Features.Leads;

/// <summary>Leads: inquiries not yet qualified, newest first; the card with its timeline, create and edit.</summary>
[Route("leads")]
internal sealed class LeadsController(ClientsDbContext db, ClientAccess access, ClientCards cards, Outbox.ClientOutbox outbox, IStringLocalizer<ClientsStrings> strings)
    : ClientControllerBase<Lead>(db, access, cards, strings)
{
    protected override ClientKind Kind => ClientKind.Lead;

    [HttpGet("")]
    public Task<IActionResult> Index([FromQuery] ClientListQuery query, CancellationToken cancellationToken) => ListAsync(query, cancellationToken);

    [HttpGet("export")]
    public Task<IResult> Export([FromQuery] ClientListQuery query, string? format, [FromServices] Crm.Clients.Export.ClientExport export, CancellationToken cancellationToken) =>
        ExportAsync(query, format, export, cancellationToken);

    protected override IQueryable<Lead> TextFilter(IQueryable<Lead> records, string? text) => ClientFilters.Text(records, text);

    protected override System.Linq.Expressions.Expression<Func<Lead, string>> NameKey => r => r.Name;

    protected override IReadOnlyList<FieldFilter<Lead>> FieldFilters => Crm.Clients.Access.FieldFilters.Leads;

    protected override List<ListColumn<Lead>> Columns(ColumnContext context) => ClientColumns.Leads(context);

    protected override IReadOnlyList<string> DefaultColumns => ClientColumns.LeadDefaults;

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Card(Guid id, CancellationToken cancellationToken)
    {
        var lead = await FindAsync(id, AccessAction.View, cancellationToken);
        return lead is null ? NotFound() : View(await CardModelAsync(lead, new NoteForm(), cancellationToken));
    }

    [HttpGet("new")]
    public async Task<IActionResult> Create(CancellationToken cancellationToken) =>
        await CanCreateAsync(cancellationToken) ? View("Edit", await FormPageAsync(new LeadForm(), null, cancellationToken)) : Forbid();

    [HttpPost("new")]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] LeadForm form, CancellationToken cancellationToken)
    {
        if (!await CanCreateAsync(cancellationToken))
        {
            return Forbid();
        }

        var lead = new Lead { Id = Guid.CreateVersion7(), CreatedAt = Cards.Now, UpdatedAt = Cards.Now };
        if (!(Apply(form, lead) & await ApplyCustomAsync(lead, form.Custom, cancellationToken)) || !await AssignOwnerAsync(lead, form.OwnerId, isNew: true, cancellationToken))
        {
            return View("Edit", await FormPageAsync(form, null, cancellationToken));
        }

        Db.Leads.Add(lead);
        Cards.Write(lead, "created", L["Lead created"]);
        outbox.LeadCreated(lead.Id, Outbox.ClientOutbox.Channels.Form);
        await Db.SaveChangesAsync(cancellationToken);
        outbox.Kick();
        TempData["toast"] = L["Lead {0} created.", lead.Name].Value;
        return Redirect($"/leads/{lead.Id}");
    }

    [HttpGet("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var lead = await FindAsync(id, AccessAction.Edit, cancellationToken);
        return lead is null ? NotFound() : View(await FormPageAsync(LeadForm.From(lead), lead, cancellationToken));
    }

    [HttpPost("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, [Bind(Prefix = "Form")] LeadForm form, CancellationToken cancellationToken)
    {
        var lead = await FindAsync(id, AccessAction.Edit, cancellationToken);
        if (lead is null)
        {
            return NotFound();
        }

        ExpectVersion(lead, form.Version);
        var nameBefore = lead.DisplayName;
        var before = await SnapshotAsync(ClientSnapshots.Of(lead, L), lead, cancellationToken);
        if (!(Apply(form, lead) & await ApplyCustomAsync(lead, form.Custom, cancellationToken)) || !await AssignOwnerAsync(lead, form.OwnerId, isNew: false, cancellationToken))
        {
            return View(await FormPageAsync(form, lead, cancellationToken));
        }

        lead.UpdatedAt = Cards.Now;
        if (FieldChanges.Describe(before, await SnapshotAsync(ClientSnapshots.Of(lead, L), lead, cancellationToken)) is { } changes)
        {
            Cards.Write(lead, "changed", L["Fields changed"], changes);
        }

        if (!await TrySaveAsync(cancellationToken))
        {
            return View(await FormPageAsync(form, lead, cancellationToken));
        }

        await PublishRenameAsync(lead, nameBefore, cancellationToken);

        TempData["toast"] = L["Changes saved."].Value;
        return Redirect($"/leads/{lead.Id}");
    }

    protected override async Task<object> CardModelAsync(Lead lead, NoteForm note, CancellationToken cancellationToken) =>
        new LeadCardPage(lead, await Cards.ContextAsync(lead, Request.Query["show"], cancellationToken), note);

    private bool Apply(LeadForm form, Lead lead)
    {
        var errors = new InputErrors();
        ClientInputs.Apply(form.ToInput(), lead, errors, L);
        errors.CopyTo(ModelState, "Form.");
        return ModelState.IsValid;
    }


    private async Task<LeadFormPage> FormPageAsync(LeadForm form, Lead? lead, CancellationToken cancellationToken)
    {
        var choices = await Cards.OwnerChoicesAsync(lead, Kind, cancellationToken);
        form.OwnerId ??= DefaultOwner(choices, lead?.OwnerId, CurrentUserId);
        return new LeadFormPage(form, lead?.Id, choices) { Custom = await CustomInputsAsync(lead, form.Custom, cancellationToken) };
    }
}

internal sealed record LeadCardPage(Lead Lead, CardContext Context, NoteForm Note);

internal sealed record LeadFormPage(LeadForm Form, Guid? LeadId, IReadOnlyList<Crm.Identity.Contracts.UserSummary> Owners)
{
    public Crm.CustomFields.Contracts.CustomFieldInputs? Custom { get; init; }

    public bool IsNew => LeadId is null;
}

internal sealed class LeadForm
{
    [Display(Name = "Name")]
    public string? Name { get; set; }

    [Display(Name = "Company")]
    public string? CompanyName { get; set; }

    [Display(Name = "Phone")]
    public string? Phone { get; set; }

    [Display(Name = "E-mail")]
    public string? Email { get; set; }

    [Display(Name = "Source")]
    public LeadSource Source { get; set; } = LeadSource.Manual;

    [Display(Name = "Status")]
    public LeadStatus Status { get; set; } = LeadStatus.New;

    [Display(Name = "Tags")]
    public string? Tags { get; set; }

    /// <summary>Custom field values by key (a multiple choice sends several).</summary>
    public Dictionary<string, string[]> Custom { get; set; } = [];

    [Display(Name = "Responsible")]
    public Guid? OwnerId { get; set; }

    /// <summary>The record's version when the form was loaded, for the conflict check.</summary>
    public uint? Version { get; set; }

    /// <summary>A page always sends every field: empty ones clear the value.</summary>
    public LeadInput ToInput() => new(Name ?? "", CompanyName ?? "", Phone ?? "", Email ?? "", Source, Status, ClientInputs.Lines(Tags), OwnerId);

    public static LeadForm From(Lead l) => new()
    {
        Name = l.Name,
        CompanyName = l.CompanyName,
        Phone = l.Phone is null ? null : Requisites.FormatPhone(l.Phone),
        Email = l.Email,
        Source = l.Source,
        Status = l.Status,
        Tags = string.Join(", ", l.Tags),
        OwnerId = l.OwnerId,
        Version = l.Version,
    };
}
