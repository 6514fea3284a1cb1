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

namespace Crm.Clients.Areas.Clients.Features.Companies;

/// <summary>Companies: the list (keyset, within the user's scope), the card with its timeline, create and edit.</summary>
[Route("companies")]
internal sealed class CompaniesController(ClientsDbContext db, ClientAccess access, ClientCards cards, DuplicateFinder duplicates, IStringLocalizer<ClientsStrings> strings)
    : ClientControllerBase<Company>(db, access, cards, strings)
{
    protected override ClientKind Kind => ClientKind.Company;

    [HttpGet("")]
    public Task<IActionResult> Index([FromQuery] ClientListQuery query, CancellationToken cancellationToken) => ListAsync(query, cancellationToken);

    [HttpGet("export")]
    public Task<IResult> Export([FromQuery] ClientListQuery query, string? format, [FromServices] Crm.Clients.Export.ClientExport export, CancellationToken cancellationToken) =>
        ExportAsync(query, format, export, cancellationToken);

    protected override IQueryable<Company> TextFilter(IQueryable<Company> records, string? text) => ClientFilters.Text(records, text);

    protected override System.Linq.Expressions.Expression<Func<Company, string>> NameKey => r => r.Name;

    protected override IReadOnlyList<FieldFilter<Company>> FieldFilters => Crm.Clients.Access.FieldFilters.Companies;

    protected override List<ListColumn<Company>> Columns(ColumnContext context) => ClientColumns.Companies(context);

    protected override IReadOnlyList<string> DefaultColumns => ClientColumns.CompanyDefaults;

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Card(Guid id, CancellationToken cancellationToken)
    {
        var company = await FindAsync(id, AccessAction.View, cancellationToken);
        return company is null ? await NotFoundOrMergedAsync(id, cancellationToken) : View(await CardModelAsync(company, new NoteForm(), cancellationToken));
    }

    [HttpGet("new")]
    public async Task<IActionResult> Create(CancellationToken cancellationToken) =>
        await CanCreateAsync(cancellationToken) ? View("Edit", await FormPageAsync(new CompanyForm(), null, cancellationToken)) : Forbid();

    [HttpPost("new")]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] CompanyForm form, CancellationToken cancellationToken)
    {
        if (!await CanCreateAsync(cancellationToken))
        {
            return Forbid();
        }

        var company = new Company { Id = Guid.CreateVersion7(), CreatedAt = Cards.Now, UpdatedAt = Cards.Now };
        if (!(Apply(form, company) & await ApplyCustomAsync(company, form.Custom, cancellationToken)) || !await AssignOwnerAsync(company, form.OwnerId, isNew: true, cancellationToken))
        {
            return View("Edit", await FormPageAsync(form, null, cancellationToken));
        }

        if (!form.IgnoreDuplicates && await duplicates.ForCompanyAsync(company, cancellationToken) is { Any: true } found)
        {
            return View("Edit", (await FormPageAsync(form, null, cancellationToken)) with { Duplicates = found });
        }

        Db.Companies.Add(company);
        Cards.Write(company, "created", L["Company created"]);
        await Db.SaveChangesAsync(cancellationToken);
        TempData["toast"] = L["Company {0} created.", company.Name].Value;
        return Redirect($"/companies/{company.Id}");
    }

    [HttpGet("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var company = await FindAsync(id, AccessAction.Edit, cancellationToken);
        return company is null ? await NotFoundOrMergedAsync(id, cancellationToken) : View(await FormPageAsync(CompanyForm.From(company), company, cancellationToken));
    }

    [HttpPost("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, [Bind(Prefix = "Form")] CompanyForm form, CancellationToken cancellationToken)
    {
        var company = await FindAsync(id, AccessAction.Edit, cancellationToken);
        if (company is null)
        {
            return NotFound();
        }

        ExpectVersion(company, form.Version);
        var nameBefore = company.DisplayName;
        var identityBefore = (company.Name, company.Inn, string.Join(",", company.Phones), string.Join(",", company.Emails));
        var before = await SnapshotAsync(ClientSnapshots.Of(company, L), company, cancellationToken);
        if (!(Apply(form, company) & await ApplyCustomAsync(company, form.Custom, cancellationToken)) || !await AssignOwnerAsync(company, form.OwnerId, isNew: false, cancellationToken))
        {
            return View(await FormPageAsync(form, company, cancellationToken));
        }

        // Only a change of what identifies the record (name, requisites, phones, e-mails) is checked again.
        if (!form.IgnoreDuplicates && identityBefore != (company.Name, company.Inn, string.Join(",", company.Phones), string.Join(",", company.Emails))
            && await duplicates.ForCompanyAsync(company, cancellationToken) is { Any: true } found)
        {
            return View((await FormPageAsync(form, company, cancellationToken)) with { Duplicates = found });
        }

        company.UpdatedAt = Cards.Now;
        if (FieldChanges.Describe(before, await SnapshotAsync(ClientSnapshots.Of(company, L), company, cancellationToken)) is { } changes)
        {
            Cards.Write(company, "changed", L["Fields changed"], changes);
        }

        if (!await TrySaveAsync(cancellationToken))
        {
            return View(await FormPageAsync(form, company, cancellationToken));
        }

        await PublishRenameAsync(company, nameBefore, cancellationToken);

        TempData["toast"] = L["Changes saved."].Value;
        return Redirect($"/companies/{company.Id}");
    }

    protected override async Task<object> CardModelAsync(Company company, NoteForm note, CancellationToken cancellationToken)
    {
        var contacts = await (from link in Db.ContactCompanies
                              join contact in Db.Contacts on link.ContactId equals contact.Id
                              where link.CompanyId == company.Id && contact.DeletedAt == null
                              orderby contact.FullName
                              select new CompanyContact(contact.Id, contact.FullName, link.Role, contact.Phones))
            .ToListAsync(cancellationToken);
        return new CompanyCardPage(company, await Cards.ContextAsync(company, Request.Query["show"], cancellationToken), contacts, note);
    }

    private bool Apply(CompanyForm form, Company company)
    {
        var errors = new InputErrors();
        ClientInputs.Apply(form.ToInput(), company, errors, L);
        errors.CopyTo(ModelState, "Form.");
        return ModelState.IsValid;
    }


    private async Task<CompanyFormPage> FormPageAsync(CompanyForm form, Company? company, CancellationToken cancellationToken)
    {
        var choices = await Cards.OwnerChoicesAsync(company, Kind, cancellationToken);
        form.OwnerId ??= DefaultOwner(choices, company?.OwnerId, CurrentUserId);
        return new CompanyFormPage(form, company?.Id, choices) { Custom = await CustomInputsAsync(company, form.Custom, cancellationToken) };
    }
}

internal sealed record CompanyContact(Guid Id, string FullName, string? Role, List<string> Phones);

internal sealed record CompanyCardPage(Company Company, CardContext Context, IReadOnlyList<CompanyContact> Contacts, NoteForm Note);

internal sealed record CompanyFormPage(CompanyForm Form, Guid? CompanyId, IReadOnlyList<Crm.Identity.Contracts.UserSummary> Owners)
{
    public Crm.CustomFields.Contracts.CustomFieldInputs? Custom { get; init; }

    public Duplicates Duplicates { get; init; } = Duplicates.None;

    public bool IsNew => CompanyId is null;
}

internal sealed class CompanyForm
{
    [Display(Name = "Name")]
    public string? Name { get; set; }

    [Display(Name = "INN")]
    public string? Inn { get; set; }

    [Display(Name = "KPP")]
    public string? Kpp { get; set; }

    [Display(Name = "OGRN")]
    public string? Ogrn { get; set; }

    [Display(Name = "Type")]
    public CompanyType Type { get; set; } = CompanyType.Client;

    [Display(Name = "Industry")]
    public string? Industry { get; set; }

    [Display(Name = "Website")]
    public string? Website { get; set; }

    [Display(Name = "Legal address")]
    public string? LegalAddress { get; set; }

    [Display(Name = "Actual address")]
    public string? ActualAddress { get; set; }

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

    /// <summary>A page always sends every field: empty ones clear the value.</summary>
    public CompanyInput ToInput() => new(
        Name ?? "", Inn ?? "", Kpp ?? "", Ogrn ?? "", Type, Industry ?? "", Website ?? "", LegalAddress ?? "", ActualAddress ?? "",
        ClientInputs.Lines(Phones), ClientInputs.Lines(Emails), ClientInputs.Lines(Tags), OwnerId);

    public static CompanyForm From(Company c) => new()
    {
        Name = c.Name,
        Inn = c.Inn,
        Kpp = c.Kpp,
        Ogrn = c.Ogrn,
        Type = c.Type,
        Industry = c.Industry,
        Website = c.Website,
        LegalAddress = c.LegalAddress,
        ActualAddress = c.ActualAddress,
        Phones = ClientForms.PhonesForEditing(c.Phones),
        Emails = ClientForms.Join(c.Emails),
        Tags = string.Join(", ", c.Tags),
        OwnerId = c.OwnerId,
        Version = c.Version,
    };
}
