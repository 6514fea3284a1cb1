using Crm.Clients.Access;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Integration;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Domain;

/// <summary>What the user decided on the conversion form (or an integrator sent).</summary>
/// <param name="ContactId">An existing contact to link; null creates one from the lead.</param>
/// <param name="CompanyId">An existing company to link; null with <paramref name="CreateCompany"/> creates one from the lead's company name.</param>
internal sealed record ConversionRequest(Guid? ContactId, Guid? CompanyId, bool CreateCompany, Guid OwnerId);

internal sealed record ConversionResult(Guid ContactId, Guid? CompanyId);

internal sealed record ConversionCandidates(IReadOnlyList<(Guid Id, string Name, string? Detail)> Contacts, IReadOnlyList<(Guid Id, string Name, string? Detail)> Companies);

/// <summary>
/// Converting a lead, in one transaction: the contact (new, or an existing one the user chose among the
/// duplicates found by phone and e-mail), the company (new, existing, or none), the link between them,
/// the lead marked converted, and the lead's timeline copied onto the contact so its history is kept.
/// A deal in a chosen pipeline joins this step when the Deals module exists.
/// </summary>
internal sealed class LeadConversion(ClientsDbContext db, ClientAccess access, Areas.Clients.Features.Shared.ClientCards cards, IIntegrationEvents events, IStringLocalizer<ClientsStrings> L)
{
    /// <summary>Contacts with the lead's phone or e-mail, companies with its company name: offered instead of creating duplicates.</summary>
    public async Task<ConversionCandidates> CandidatesAsync(Lead lead, CancellationToken cancellationToken)
    {
        var contacts = ClientAccess.Within(db.Contacts.AsNoTracking(), await access.FilterAsync(ClientKind.Contact, AccessAction.View, cancellationToken));
        var digits = lead.Phone is null ? null : "%" + ClientSearch.Digits(lead.Phone) + "%";
        var email = lead.Email is null ? null : "%" + ClientSearch.Like(lead.Email) + "%";
        var contactHits = new List<(Guid Id, string Name, string? Detail)>();
        if (digits is not null || email is not null)
        {
            var found = await contacts
                .Where(c => (digits != null && EF.Functions.Like(c.PhoneDigits, digits)) || (email != null && EF.Functions.Like(c.EmailsText, email, "\\")))
                .OrderBy(c => c.PhoneDigits).Take(10).Select(c => new { c.Id, c.FullName, c.Position }).ToListAsync(cancellationToken);
            contactHits.AddRange(found.Select(c => (c.Id, c.FullName, c.Position)));
        }

        var companies = ClientAccess.Within(db.Companies.AsNoTracking(), await access.FilterAsync(ClientKind.Company, AccessAction.View, cancellationToken));
        var companyHits = new List<(Guid Id, string Name, string? Detail)>();
        if (!string.IsNullOrWhiteSpace(lead.CompanyName))
        {
            var pattern = "%" + ClientSearch.Like(lead.CompanyName.Trim()) + "%";
            var found = await companies.Where(c => EF.Functions.ILike(c.Name, pattern, "\\"))
                .OrderBy(c => c.PhoneDigits).Take(10).Select(c => new { c.Id, c.Name, c.Inn }).ToListAsync(cancellationToken);
            companyHits.AddRange(found.Select(c => (c.Id, c.Name, c.Inn)));
        }

        return new ConversionCandidates(contactHits, companyHits);
    }

    /// <summary>Converts, or answers the errors (field → message) when the choice is not possible.</summary>
    public async Task<(ConversionResult? Result, InputErrors Errors)> ConvertAsync(Lead lead, ConversionRequest request, CancellationToken cancellationToken)
    {
        var errors = new InputErrors();
        if (lead.Status == LeadStatus.Converted)
        {
            errors.Add("Lead", L["This lead is already converted."]);
            return (null, errors);
        }

        var owner = Areas.Clients.Features.Shared.ClientCards.PickOwner(await cards.OwnerChoicesAsync(null, ClientKind.Contact, cancellationToken), request.OwnerId);
        if (owner is null)
        {
            errors.Add("OwnerId", L["Choose a responsible user from the list."]);
        }

        Contact? contact = null;
        if (request.ContactId is { } contactId
            && (contact = await ClientAccess.Within(db.Contacts, await access.FilterAsync(ClientKind.Contact, AccessAction.Edit, cancellationToken))
                .SingleOrDefaultAsync(c => c.Id == contactId, cancellationToken)) is null)
        {
            errors.Add("ContactId", L["That contact is not available to you."]);
        }

        Company? company = null;
        if (request.CompanyId is { } companyId
            && (company = await ClientAccess.Within(db.Companies, await access.FilterAsync(ClientKind.Company, AccessAction.Edit, cancellationToken))
                .SingleOrDefaultAsync(c => c.Id == companyId, cancellationToken)) is null)
        {
            errors.Add("CompanyId", L["That company is not available to you."]);
        }

        if (request.CompanyId is null && request.CreateCompany && string.IsNullOrWhiteSpace(lead.CompanyName))
        {
            errors.Add("CompanyId", L["The lead has no company name to create a company from."]);
        }

        if (!errors.IsEmpty || owner is null)
        {
            return (null, errors);
        }

        var now = cards.Now;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (contact is null)
        {
            contact = new Contact
            {
                Id = Guid.CreateVersion7(),
                FullName = lead.Name,
                Phones = lead.Phone is null ? [] : [lead.Phone],
                PhoneDigits = lead.PhoneDigits,
                Emails = lead.Email is null ? [] : [lead.Email],
                EmailsText = lead.Email ?? "",
                Tags = [.. lead.Tags],
                OwnerId = owner.Id,
                OwnerDepartmentId = owner.DepartmentId,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Contacts.Add(contact);
        }

        if (company is null && request.CompanyId is null && request.CreateCompany)
        {
            company = new Company
            {
                Id = Guid.CreateVersion7(),
                Name = lead.CompanyName!.Trim(),
                OwnerId = owner.Id,
                OwnerDepartmentId = owner.DepartmentId,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Companies.Add(company);
        }

        if (company is not null && !await db.ContactCompanies.AnyAsync(l => l.ContactId == contact.Id && l.CompanyId == company.Id, cancellationToken))
        {
            db.ContactCompanies.Add(new ContactCompany { ContactId = contact.Id, CompanyId = company.Id });
        }

        // The lead's history moves along: its entries are copied onto the contact's timeline.
        var history = await db.Timeline.AsNoTracking().Where(e => e.RecordId == lead.Id).ToListAsync(cancellationToken);
        db.Timeline.AddRange(history.Select(e => new TimelineEntry
        {
            Id = Guid.CreateVersion7(),
            RecordKind = ClientKind.Contact,
            RecordId = contact.Id,
            Kind = e.Kind,
            Subject = e.Subject,
            Text = e.Text,
            AuthorId = e.AuthorId,
            AuthorName = e.AuthorName,
            Link = e.Link ?? "/leads/" + lead.Id,
            CreatedAt = e.CreatedAt,
        }));

        lead.Status = LeadStatus.Converted;
        lead.ConvertedAt = now;
        lead.ConvertedContactId = contact.Id;
        lead.ConvertedCompanyId = company?.Id;
        lead.UpdatedAt = now;
        cards.Write(lead, "converted", L["Converted into contact {0}", contact.FullName], company is null ? null : company.Name);
        cards.Write(contact, "converted", L["Created from lead {0}", lead.Name]);
        if (company is not null)
        {
            cards.Write(company, "converted", L["Lead {0} converted: contact {1}", lead.Name, contact.FullName]);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // After the commit: modules keeping the lead's id learn the contact and company it became.
        await events.PublishAsync(new LeadConverted(lead.Id, contact.Id, contact.FullName, company?.Id, company?.Name), cancellationToken);
        return (new ConversionResult(contact.Id, company?.Id), errors);
    }
}
