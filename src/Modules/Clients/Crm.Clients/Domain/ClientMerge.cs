using Crm.Clients.Areas.Clients.Features.Shared;
using Crm.Clients.Audit;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Domain;

/// <summary>A field the merge page lets the user choose: its form key, label, the value as shown, and how it is copied.</summary>
internal sealed record MergeField<T>(string Key, string Label, Func<T, string?> Show, Action<T, T> Copy)
    where T : ClientRecord;

/// <summary>The chosen fields of each kind. Phones, e-mails and tags are not chosen: the survivor gets both records' lists.</summary>
internal static class MergeFields
{
    public static IReadOnlyList<MergeField<Company>> Company(IStringLocalizer L, IReadOnlyDictionary<Guid, UserSummary> owners) =>
    [
        new("Name", L["Name"], c => c.Name, (to, from) => to.Name = from.Name),
        new("Type", L["Type"], c => ClientTexts.CompanyType(c.Type, L), (to, from) => to.Type = from.Type),
        new("Inn", L["INN"], c => c.Inn, (to, from) => to.Inn = from.Inn),
        new("Kpp", L["KPP"], c => c.Kpp, (to, from) => to.Kpp = from.Kpp),
        new("Ogrn", L["OGRN"], c => c.Ogrn, (to, from) => to.Ogrn = from.Ogrn),
        new("Industry", L["Industry"], c => c.Industry, (to, from) => to.Industry = from.Industry),
        new("Website", L["Website"], c => c.Website, (to, from) => to.Website = from.Website),
        new("LegalAddress", L["Legal address"], c => c.LegalAddress, (to, from) => to.LegalAddress = from.LegalAddress),
        new("ActualAddress", L["Actual address"], c => c.ActualAddress, (to, from) => to.ActualAddress = from.ActualAddress),
        Owner<Company>(L, owners),
    ];

    public static IReadOnlyList<MergeField<Contact>> Contact(IStringLocalizer L, IReadOnlyDictionary<Guid, UserSummary> owners) =>
    [
        new("FullName", L["Full name"], c => c.FullName, (to, from) => to.FullName = from.FullName),
        new("Position", L["Position"], c => c.Position, (to, from) => to.Position = from.Position),
        new("Birthday", L["Birthday"], c => c.Birthday?.ToString("d", System.Globalization.CultureInfo.CurrentCulture), (to, from) => to.Birthday = from.Birthday),
        Owner<Contact>(L, owners),
    ];

    /// <summary>The owner and the owner's department go together, as everywhere else.</summary>
    private static MergeField<T> Owner<T>(IStringLocalizer L, IReadOnlyDictionary<Guid, UserSummary> owners)
        where T : ClientRecord =>
        new("Owner", L["Responsible"], r => owners.GetValueOrDefault(r.OwnerId)?.FullName ?? "—", (to, from) =>
        {
            to.OwnerId = from.OwnerId;
            to.OwnerDepartmentId = from.OwnerDepartmentId;
        });

    /// <summary>The side a field starts on: the survivor's value, or the other's when the survivor has none.</summary>
    public static Guid DefaultSource<T>(MergeField<T> field, T survivor, T other)
        where T : ClientRecord =>
        string.IsNullOrWhiteSpace(field.Show(survivor)) && !string.IsNullOrWhiteSpace(field.Show(other)) ? other.Id : survivor.Id;
}

/// <summary>
/// Merges two records of one kind in one transaction: the chosen values go to the survivor, phones,
/// e-mails and tags are united, contact–company links, the timeline, attachments (rows only: the files
/// stay where they are) and converted leads move to the survivor; the other record is deleted and its
/// id remembered in <c>merged_records</c> so that old links lead to the survivor. Both records' versions
/// are checked: a change by someone else meanwhile fails the whole merge.
/// </summary>
internal sealed class ClientMerge(ClientsDbContext db, ClientCards cards, ClientAudit audit, ICurrentUser currentUser, IIntegrationEvents events, IStringLocalizer<ClientsStrings> L)
{
    /// <returns>False when one of the records was changed meanwhile; nothing is merged then.</returns>
    public async Task<bool> MergeAsync<T>(T survivor, T removed, IReadOnlyList<MergeField<T>> fields, IReadOnlySet<string> fromRemoved, CancellationToken cancellationToken)
        where T : ClientRecord
    {
        if (survivor.Id == removed.Id || survivor.Kind != removed.Kind)
        {
            throw new ArgumentException("A record merges only with another record of its kind.", nameof(removed));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var taken = new List<string>();
            foreach (var field in fields.Where(f => fromRemoved.Contains(f.Key)))
            {
                field.Copy(survivor, removed);
                taken.Add(field.Label);
            }

            Unite(survivor, removed);
            survivor.CreatedAt = survivor.CreatedAt < removed.CreatedAt ? survivor.CreatedAt : removed.CreatedAt;
            survivor.LastActivityAt = Latest(survivor.LastActivityAt, removed.LastActivityAt);
            survivor.UpdatedAt = cards.Now;

            await MoveLinksAsync(survivor, removed, cancellationToken);
            await db.Timeline.Where(e => e.RecordId == removed.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.RecordId, survivor.Id), cancellationToken);
            await db.Attachments.Where(a => a.RecordId == removed.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.RecordId, survivor.Id), cancellationToken);
            if (survivor.Kind == ClientKind.Contact)
            {
                await db.Leads.Where(l => l.ConvertedContactId == removed.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.ConvertedContactId, survivor.Id), cancellationToken);
            }
            else if (survivor.Kind == ClientKind.Company)
            {
                await db.Leads.Where(l => l.ConvertedCompanyId == removed.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.ConvertedCompanyId, survivor.Id), cancellationToken);
            }

            // Records merged into the removed one earlier now lead straight to the survivor.
            await db.MergedRecords.Where(m => m.SurvivorId == removed.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.SurvivorId, survivor.Id), cancellationToken);
            db.MergedRecords.Add(new MergedRecord
            {
                RemovedId = removed.Id,
                SurvivorId = survivor.Id,
                Kind = survivor.Kind,
                MergedAt = cards.Now,
                MergedBy = currentUser.Id,
            });

            // Deleting with the loaded version: a record changed meanwhile fails the save, and the transaction with it.
            db.Remove(removed);
            var fieldsText = taken.Count == 0
                ? L["No fields taken from {0}.", removed.DisplayName].Value
                : L["Fields taken from {0}: {1}.", removed.DisplayName, string.Join(", ", taken)].Value;
            cards.Write(survivor, "merged", L["Merged with {0}", removed.DisplayName], fieldsText);
            audit.Record(
                ClientAudit.Actions.Merge, survivor.Kind, survivor.Id, 2,
                $"{removed.DisplayName} ({removed.Id}) merged into {survivor.DisplayName} ({survivor.Id}); fields from the removed record: "
                + (taken.Count == 0 ? "none" : string.Join(", ", fields.Where(f => fromRemoved.Contains(f.Key)).Select(f => f.Key))));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return false;
        }

        // Outside the try: only a committed merge is told, and a handler's trouble is not a failed merge.
        await events.PublishAsync(new ClientMerged(survivor.Kind, removed.Id, survivor.Id, survivor.DisplayName), cancellationToken);
        return true;
    }

    private static void Unite(ClientRecord survivor, ClientRecord removed)
    {
        survivor.Tags = survivor.Tags.Concat(removed.Tags).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        switch (survivor, removed)
        {
            case (Company to, Company from):
                to.Phones = to.Phones.Concat(from.Phones).Distinct(StringComparer.Ordinal).ToList();
                to.Emails = to.Emails.Concat(from.Emails).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                to.PhoneDigits = Requisites.PhoneDigits(to.Phones);
                to.EmailsText = string.Join(' ', to.Emails);
                break;
            case (Contact to, Contact from):
                to.Phones = to.Phones.Concat(from.Phones).Distinct(StringComparer.Ordinal).ToList();
                to.Emails = to.Emails.Concat(from.Emails).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                to.PhoneDigits = Requisites.PhoneDigits(to.Phones);
                to.EmailsText = string.Join(' ', to.Emails);
                break;
        }
    }

    /// <summary>
    /// Contact–company links of the removed record go to the survivor; where both were linked to the same
    /// contact (or company), the survivor's link stays and takes the other's role only if it had none.
    /// </summary>
    private async Task MoveLinksAsync(ClientRecord survivor, ClientRecord removed, CancellationToken cancellationToken)
    {
        var isCompany = survivor.Kind == ClientKind.Company;
        if (survivor.Kind == ClientKind.Lead)
        {
            return;
        }

        var moving = await db.ContactCompanies.Where(l => isCompany ? l.CompanyId == removed.Id : l.ContactId == removed.Id).ToListAsync(cancellationToken);
        var staying = (await db.ContactCompanies.Where(l => isCompany ? l.CompanyId == survivor.Id : l.ContactId == survivor.Id).ToListAsync(cancellationToken))
            .ToDictionary(l => isCompany ? l.ContactId : l.CompanyId);
        foreach (var link in moving)
        {
            var other = isCompany ? link.ContactId : link.CompanyId;
            if (staying.TryGetValue(other, out var kept))
            {
                kept.Role ??= link.Role;
            }
            else
            {
                db.ContactCompanies.Add(new ContactCompany
                {
                    ContactId = isCompany ? link.ContactId : survivor.Id,
                    CompanyId = isCompany ? survivor.Id : link.CompanyId,
                    Role = link.Role,
                });
            }

            db.ContactCompanies.Remove(link);
        }
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    /// <summary>The record a removed id was merged into, or null when the id was not merged away.</summary>
    public static Task<Guid?> SurvivorAsync(ClientsDbContext db, Guid id, ClientKind? kind, CancellationToken cancellationToken) =>
        db.MergedRecords.AsNoTracking()
            .Where(m => m.RemovedId == id && (kind == null || m.Kind == kind))
            .Select(m => (Guid?)m.SurvivorId)
            .SingleOrDefaultAsync(cancellationToken);
}
