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

namespace Crm.Clients.Areas.Clients.Features.Contacts;

/// <summary>Contacts (people): the list, the card with their companies and timeline, create and edit.</summary>
[Route("contacts")]
internal sealed class ContactsController(ClientsDbContext db, ClientAccess access, ClientCards cards, DuplicateFinder duplicates, IStringLocalizer<ClientsStrings> strings)
    : ClientControllerBase<Contact>(db, access, cards, strings)
{
    protected override ClientKind Kind => ClientKind.Contact;

    [HttpGet("")]
    public Task<IActionResult> Index([FromQuery] ClientListQuery query, CancellationToken cancellationToken) => ListAsync(query, cancellationToken);

    [HttpGet("export")]
    public Task<IResult> Export([FromQuery] ClientListQuery query, string? format, [FromServices] Crm.Clients.Export.ClientExport export, CancellationToken cancellationToken) =>
        ExportAsync(query, format, export, cancellationToken);

    protected override IQueryable<Contact> TextFilter(IQueryable<Contact> records, string? text) => ClientFilters.Text(records, text);

    protected override System.Linq.Expressions.Expression<Func<Contact, string>> NameKey => r => r.FullName;

    protected override IReadOnlyList<FieldFilter<Contact>> FieldFilters => Crm.Clients.Access.FieldFilters.Contacts;

    protected override List<ListColumn<Contact>> Columns(ColumnContext context) => ClientColumns.Contacts(context);

    protected override IReadOnlyList<string> DefaultColumns => ClientColumns.ContactDefaults;

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Card(Guid id, CancellationToken cancellationToken)
    {
        var contact = await FindAsync(id, AccessAction.View, cancellationToken);
        return contact is null ? await NotFoundOrMergedAsync(id, cancellationToken) : View(await CardModelAsync(contact, new NoteForm(), cancellationToken));
    }

    /// <summary>New contact; from a company card (?company=) the contact is linked to it.</summary>
    [HttpGet("new")]
    public async Task<IActionResult> Create(Guid? company, CancellationToken cancellationToken) =>
        await CanCreateAsync(cancellationToken)
            ? View("Edit", await FormPageAsync(new ContactForm { CompanyId = company }, null, cancellationToken))
            : Forbid();

    [HttpPost("new")]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] ContactForm form, CancellationToken cancellationToken)
    {
        if (!await CanCreateAsync(cancellationToken))
        {
            return Forbid();
        }

        var contact = new Contact { Id = Guid.CreateVersion7(), CreatedAt = Cards.Now, UpdatedAt = Cards.Now };
        var company = await VisibleCompanyAsync(form.CompanyId, cancellationToken);
        if (form.CompanyId is not null && company is null)
        {
            ModelState.AddModelError("Form.CompanyId", L["That company is not available to you."]);
        }

        if (!(Apply(form, contact) & await ApplyCustomAsync(contact, form.Custom, cancellationToken)) || !await AssignOwnerAsync(contact, form.OwnerId, isNew: true, cancellationToken))
        {
            return View("Edit", await FormPageAsync(form, null, cancellationToken));
        }

        if (!form.IgnoreDuplicates && await duplicates.ForContactAsync(contact, cancellationToken) is { Any: true } found)
        {
            return View("Edit", (await FormPageAsync(form, null, cancellationToken)) with { Duplicates = found });
        }

        Db.Contacts.Add(contact);
        if (company is not null)
        {
            Db.ContactCompanies.Add(new ContactCompany { ContactId = contact.Id, CompanyId = company.Id, Role = Clean(form.Role) });
            Cards.Write(company, "contact", L["Contact added: {0}", contact.FullName], null);
        }

        Cards.Write(contact, "created", L["Contact created"]);
        await Db.SaveChangesAsync(cancellationToken);
        TempData["toast"] = L["Contact {0} created.", contact.FullName].Value;
        return Redirect($"/contacts/{contact.Id}");
    }

    [HttpGet("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var contact = await FindAsync(id, AccessAction.Edit, cancellationToken);
        return contact is null ? await NotFoundOrMergedAsync(id, cancellationToken) : View(await FormPageAsync(ContactForm.From(contact), contact, cancellationToken));
    }

    [HttpPost("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, [Bind(Prefix = "Form")] ContactForm form, CancellationToken cancellationToken)
    {
        var contact = await FindAsync(id, AccessAction.Edit, cancellationToken);
        if (contact is null)
        {
            return NotFound();
        }

        ExpectVersion(contact, form.Version);
        var nameBefore = contact.DisplayName;
        var identityBefore = (contact.FullName, string.Join(",", contact.Phones), string.Join(",", contact.Emails));
        var before = await SnapshotAsync(ClientSnapshots.Of(contact, L), contact, cancellationToken);
        if (!(Apply(form, contact) & await ApplyCustomAsync(contact, form.Custom, cancellationToken)) || !await AssignOwnerAsync(contact, form.OwnerId, isNew: false, cancellationToken))
        {
            return View(await FormPageAsync(form, contact, cancellationToken));
        }

        // Only a change of what identifies the record (name, requisites, phones, e-mails) is checked again.
        if (!form.IgnoreDuplicates && identityBefore != (contact.FullName, string.Join(",", contact.Phones), string.Join(",", contact.Emails))
            && await duplicates.ForContactAsync(contact, cancellationToken) is { Any: true } found)
        {
            return View((await FormPageAsync(form, contact, cancellationToken)) with { Duplicates = found });
        }

        contact.UpdatedAt = Cards.Now;
        if (FieldChanges.Describe(before, await SnapshotAsync(ClientSnapshots.Of(contact, L), contact, cancellationToken)) is { } changes)
        {
            Cards.Write(contact, "changed", L["Fields changed"], changes);
        }

        if (!await TrySaveAsync(cancellationToken))
        {
            return View(await FormPageAsync(form, contact, cancellationToken));
        }

        await PublishRenameAsync(contact, nameBefore, cancellationToken);

        TempData["toast"] = L["Changes saved."].Value;
        return Redirect($"/contacts/{contact.Id}");
    }

    protected override async Task<object> CardModelAsync(Contact contact, NoteForm note, CancellationToken cancellationToken)
    {
        var filter = await Access.FilterAsync(ClientKind.Company, AccessAction.View, cancellationToken);
        var companyIds = Db.ContactCompanies.Where(l => l.ContactId == contact.Id);
        var companies = await (from link in companyIds
                               join company in ClientAccess.Within(Db.Companies.AsNoTracking(), filter) on link.CompanyId equals company.Id
                               orderby company.Name
                               select new ContactCompanyRow(company.Id, company.Name, link.Role))
            .ToListAsync(cancellationToken);
        return new ContactCardPage(contact, await Cards.ContextAsync(contact, Request.Query["show"], cancellationToken), companies, note);
    }

    private async Task<Company?> VisibleCompanyAsync(Guid? companyId, CancellationToken cancellationToken) =>
        companyId is null
            ? null
            : await ClientAccess.Within(Db.Companies, await Access.FilterAsync(ClientKind.Company, AccessAction.View, cancellationToken))
                .SingleOrDefaultAsync(c => c.Id == companyId, cancellationToken);

    private bool Apply(ContactForm form, Contact contact)
    {
        var errors = new InputErrors();
        ClientInputs.Apply(form.ToInput(), contact, errors, L, Cards.Now);
        errors.CopyTo(ModelState, "Form.");
        return ModelState.IsValid;
    }


    private async Task<ContactFormPage> FormPageAsync(ContactForm form, Contact? contact, CancellationToken cancellationToken)
    {
        var choices = await Cards.OwnerChoicesAsync(contact, Kind, cancellationToken);
        form.OwnerId ??= DefaultOwner(choices, contact?.OwnerId, CurrentUserId);
        var company = contact is null ? await VisibleCompanyAsync(form.CompanyId, cancellationToken) : null;
        return new ContactFormPage(form, contact?.Id, choices, company?.Name) { Custom = await CustomInputsAsync(contact, form.Custom, cancellationToken) };
    }
}

internal sealed record ContactCompanyRow(Guid Id, string Name, string? Role);

internal sealed record ContactCardPage(Contact Contact, CardContext Context, IReadOnlyList<ContactCompanyRow> Companies, NoteForm Note);

internal sealed record ContactFormPage(ContactForm Form, Guid? ContactId, IReadOnlyList<Crm.Identity.Contracts.UserSummary> Owners, string? CompanyName)
{
    public Crm.CustomFields.Contracts.CustomFieldInputs? Custom { get; init; }

    public Duplicates Duplicates { get; init; } = Duplicates.None;

    public bool IsNew => ContactId is null;
}

internal sealed class ContactForm
{
    [Display(Name = "Full name")]
    public string? FullName { get; set; }

    [Display(Name = "Position")]
    public string? Position { get; set; }

    [Display(Name = "Birthday")]
    public DateOnly? Birthday { get; set; }

    [Display(Name = "Phones")]
    public string? Phones { get; set; }

    [Display(Name = "E-mails")]
    public string? Emails { get; set; }

    [Display(Name = "Tags")]
    public string? Tags { get; set; }

    /// <summary>Custom field values by key (a multiple choice sends several).</summary>
    public Dictionary<string, string[]> Custom { get; set; } = [];

    [Display(Name = "Responsible")]
    public Guid? OwnerId { get; set; }

    /// <summary>The record's version when the form was loaded, for the conflict check.</summary>
    public uint? Version { get; set; }

    /// <summary>Set by "save anyway" after the possible duplicates were shown.</summary>
    public bool IgnoreDuplicates { get; set; }

    /// <summary>Only on creation from a company card.</summary>
    public Guid? CompanyId { get; set; }

    [Display(Name = "Role in the company")]
    [StringLength(100, ErrorMessage = "At most {1} characters.")]
    public string? Role { get; set; }

    /// <summary>A page always sends every field: empty ones clear the value.</summary>
    public ContactInput ToInput() => new(
        FullName ?? "", Position ?? "", Birthday, ClientInputs.Lines(Phones), ClientInputs.Lines(Emails), ClientInputs.Lines(Tags), OwnerId);

    public static ContactForm From(Contact c) => new()
    {
        FullName = c.FullName,
        Position = c.Position,
        Birthday = c.Birthday,
        Phones = ClientForms.PhonesForEditing(c.Phones),
        Emails = ClientForms.Join(c.Emails),
        Tags = string.Join(", ", c.Tags),
        OwnerId = c.OwnerId,
        Version = c.Version,
    };
}
