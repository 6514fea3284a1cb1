using Bogus;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Seeding;

/// <summary>
/// About 300 companies, 600 contacts and 150 leads with Russian names, valid INNs, phones and e-mails,
/// spread over the demo sales team, with notes, and a few near-duplicates to find.
/// </summary>
internal sealed class ClientsDemoSeeder(ClientsDbContext db, IUserDirectory users, TimeProvider clock) : IDemoDataSeeder
{
    private static readonly string[] Owners = ["anna@crm.local", "ivan@crm.local", "head@crm.local"];
    private static readonly string[] Industries = ["Торговля", "Производство", "Строительство", "Логистика", "ИТ", "Медицина", "Образование", "Общепит"];
    private static readonly string[] Forms = ["ООО", "АО", "ПАО", "ИП"];
    private static readonly string[] Roles = ["Директор", "Закупщик", "Бухгалтер", "Главный инженер", "Менеджер по закупкам"];
    private static readonly string[] Notes =
    [
        "Созвонились, интересуются оптовыми ценами. Перезвонить в четверг.",
        "Отправил коммерческое предложение на почту.",
        "Просят скидку 5% при предоплате.",
        "Встреча в офисе клиента, обсудили сроки поставки.",
        "Бюджет согласуют в следующем квартале.",
    ];

    public int Order => 10;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (await db.Companies.AnyAsync(cancellationToken))
        {
            return;
        }

        var team = (await users.GetActiveUsersAsync(cancellationToken: cancellationToken)).Where(u => Owners.Contains(u.Email)).ToList();
        if (team.Count == 0)
        {
            return;
        }

        Randomizer.Seed = new Random(2026);
        var faker = new Faker("ru");
        var now = clock.GetUtcNow();
        UserSummary Owner(int i) => team[i % team.Count];

        var companies = new List<Company>();
        for (var i = 0; i < 300; i++)
        {
            var owner = Owner(i);
            var name = $"{faker.PickRandom(Forms)} «{faker.Company.CompanyName()}»";
            var phone = Requisites.NormalizePhone($"+7 495 {faker.Random.Number(100, 999)}-{faker.Random.Number(10, 99)}-{faker.Random.Number(10, 99)}")!;
            var email = $"info{i}@{faker.Internet.DomainWord()}.ru";
            var created = now.AddDays(-faker.Random.Number(1, 400));
            companies.Add(new Company
            {
                Id = Guid.CreateVersion7(),
                Name = name,
                Inn = Requisites.CompleteInn10(faker.Random.Number(1, 9).ToString(System.Globalization.CultureInfo.InvariantCulture) + faker.Random.ReplaceNumbers("########")),
                Type = i % 10 == 0 ? CompanyType.Partner : CompanyType.Client,
                Industry = faker.PickRandom(Industries),
                Website = $"https://{faker.Internet.DomainWord()}.ru",
                LegalAddress = faker.Address.FullAddress(),
                Phones = [phone],
                Emails = [email],
                PhoneDigits = Requisites.PhoneDigits([phone]),
                EmailsText = email,
                OwnerId = owner.Id,
                OwnerDepartmentId = owner.DepartmentId,
                Tags = i % 7 == 0 ? ["VIP"] : [],
                CreatedAt = created,
                UpdatedAt = created,
                LastActivityAt = created.AddDays(faker.Random.Number(0, 30)),
            });
        }

        // Near-duplicates: the same company typed again by another manager, for the duplicate finder.
        for (var i = 0; i < 5; i++)
        {
            var original = companies[i * 11];
            var owner = Owner(i + 1);
            companies.Add(new Company
            {
                Id = Guid.CreateVersion7(),
                Name = original.Name.Replace("«", "\"", StringComparison.Ordinal).Replace("»", "\"", StringComparison.Ordinal),
                Phones = original.Phones,
                Emails = [],
                PhoneDigits = original.PhoneDigits,
                OwnerId = owner.Id,
                OwnerDepartmentId = owner.DepartmentId,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        var contacts = new List<Contact>();
        var links = new List<ContactCompany>();
        for (var i = 0; i < 600; i++)
        {
            var company = companies[i % 300];
            var phone = Requisites.NormalizePhone($"+7 9{faker.Random.Number(10, 99)} {faker.Random.Number(100, 999)}-{faker.Random.Number(10, 99)}-{faker.Random.Number(10, 99)}")!;
            var email = $"{faker.Internet.UserName().ToLowerInvariant().Replace(' ', '.')}{i}@{faker.Internet.DomainWord()}.ru";
            var contact = new Contact
            {
                Id = Guid.CreateVersion7(),
                FullName = faker.Name.FullName(),
                Position = faker.PickRandom(Roles),
                Phones = [phone],
                Emails = [email],
                PhoneDigits = Requisites.PhoneDigits([phone]),
                EmailsText = email,
                OwnerId = company.OwnerId,
                OwnerDepartmentId = company.OwnerDepartmentId,
                CreatedAt = company.CreatedAt,
                UpdatedAt = company.CreatedAt,
            };
            contacts.Add(contact);
            links.Add(new ContactCompany { ContactId = contact.Id, CompanyId = company.Id, Role = contact.Position });
        }

        var leads = new List<Lead>();
        for (var i = 0; i < 150; i++)
        {
            var owner = Owner(i);
            var phone = Requisites.NormalizePhone($"+7 9{faker.Random.Number(10, 99)} {faker.Random.Number(100, 999)}-{faker.Random.Number(10, 99)}-{faker.Random.Number(10, 99)}")!;
            var created = now.AddHours(-faker.Random.Number(1, 24 * 60));
            leads.Add(new Lead
            {
                Id = Guid.CreateVersion7(),
                Name = faker.Name.FullName(),
                CompanyName = i % 2 == 0 ? faker.Company.CompanyName() : null,
                Phone = phone,
                PhoneDigits = Requisites.PhoneDigits([phone]),
                Email = $"lead{i}@{faker.Internet.DomainWord()}.ru",
                Source = faker.PickRandom<LeadSource>(),
                Status = i % 9 == 0 ? LeadStatus.Junk : i % 3 == 0 ? LeadStatus.InWork : LeadStatus.New,
                OwnerId = owner.Id,
                OwnerDepartmentId = owner.DepartmentId,
                CreatedAt = created,
                UpdatedAt = created,
            });
        }

        var timeline = companies.Take(120).Select((company, i) => new TimelineEntry
        {
            Id = Guid.CreateVersion7(),
            RecordKind = ClientKind.Company,
            RecordId = company.Id,
            Kind = "note",
            Subject = Notes[i % Notes.Length],
            AuthorId = company.OwnerId,
            AuthorName = team.First(u => u.Id == company.OwnerId).FullName,
            CreatedAt = company.LastActivityAt ?? company.CreatedAt,
        });

        db.Companies.AddRange(companies);
        db.Contacts.AddRange(contacts);
        db.ContactCompanies.AddRange(links);
        db.Leads.AddRange(leads);
        db.Timeline.AddRange(timeline);
        await db.SaveChangesAsync(cancellationToken);
    }
}
