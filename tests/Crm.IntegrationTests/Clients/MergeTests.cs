using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Clients;

public sealed partial class MergeTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Merging_companies_moves_links_timeline_files_and_leads_and_the_old_id_leads_to_the_survivor()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var kept = await CreateCompanyAsync(anna, "ООО «Слияние Альфа»", ("Form.Phones", "+7 495 111-22-33"), ("Form.Tags", "опт"));
        var gone = await CreateCompanyAsync(anna, "ООО «Слияние Бета»", ("Form.Phones", "+7 495 444-55-66"), ("Form.Industry", "Логистика"), ("Form.Website", "beta.example"), ("Form.Tags", "ВИП"));
        var onlyKept = await CreateContactAsync(anna, "Остап Оставшийся", kept, "Директор");
        var onlyGone = await CreateContactAsync(anna, "Борис Перенесённый", gone, "Бухгалтер");
        var both = await CreateContactAsync(anna, "Вера Общая", kept, null);
        var (attachmentId, leadId) = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ClientsDbContext>();
            db.ContactCompanies.Add(new ContactCompany { ContactId = both, CompanyId = gone, Role = "Закупщик" });
            var attachment = new Attachment { Id = Guid.CreateVersion7(), RecordKind = ClientKind.Company, RecordId = gone, FileName = "договор.pdf", StoragePath = "2026/11/x", CreatedAt = DateTimeOffset.UtcNow };
            db.Attachments.Add(attachment);
            var lead = await db.Leads.FirstAsync();
            lead.ConvertedCompanyId = gone;
            await db.SaveChangesAsync();
            return (attachment.Id, lead.Id);
        });
        await CrmApp.PostFormAsync(anna, $"/companies/{gone}", $"/companies/{gone}/notes", new Dictionary<string, string> { ["Note.Text"] = "Заметка о Бете" });

        var page = await anna.GetStringAsync($"/companies/{kept}/merge?with={gone}");
        Assert.Contains("ООО «Слияние Бета»", page, StringComparison.Ordinal);
        Assert.Matches($"name=\"Take\\[Industry\\]\"[^>]*value=\"{gone}\"[^>]*checked", page);
        var response = await PostMergeAsync(anna, "companies", kept, gone, page, kept, ("Take[Website]", kept.ToString()));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/companies/{kept}", response.Headers.Location!.OriginalString);
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ClientsDbContext>();
            Assert.False(await db.Companies.AnyAsync(c => c.Id == gone));
            var company = await db.Companies.SingleAsync(c => c.Id == kept);
            Assert.Equal("ООО «Слияние Альфа»", company.Name);
            Assert.Equal("Логистика", company.Industry);
            Assert.Null(company.Website);
            Assert.Equal(["+74951112233", "+74954445566"], company.Phones);
            Assert.Equal(["опт", "ВИП"], company.Tags);
            Assert.Contains("4954445566", company.PhoneDigits, StringComparison.Ordinal);
            var links = await db.ContactCompanies.Where(l => l.CompanyId == kept).OrderBy(l => l.ContactId).ToListAsync();
            Assert.Equal(new[] { onlyKept, onlyGone, both }.Order(), links.Select(l => l.ContactId).Order());
            Assert.Equal("Закупщик", links.Single(l => l.ContactId == both).Role);
            Assert.False(await db.ContactCompanies.AnyAsync(l => l.CompanyId == gone));
            Assert.Equal(kept, (await db.Attachments.SingleAsync(a => a.Id == attachmentId)).RecordId);
            Assert.Equal(kept, (await db.Leads.SingleAsync(l => l.Id == leadId)).ConvertedCompanyId);
            Assert.False(await db.Timeline.AnyAsync(e => e.RecordId == gone));
            Assert.Equal(kept, (await db.MergedRecords.SingleAsync(m => m.RemovedId == gone)).SurvivorId);
            Assert.Equal(kept, await s.GetRequiredService<IClientDirectory>().FindSurvivorAsync(gone));
            Assert.Null(await s.GetRequiredService<IClientDirectory>().FindSurvivorAsync(kept));
            Assert.True(await db.AuditLog.AnyAsync(a => a.Action == "merge" && a.RecordId == kept && a.Summary.Contains(gone.ToString())));
        });

        var card = await anna.GetStringAsync($"/companies/{kept}");
        Assert.Contains("Заметка о Бете", card, StringComparison.Ordinal);
        Assert.Contains("договор.pdf", card, StringComparison.Ordinal);
        Assert.Contains("Борис Перенесённый", card, StringComparison.Ordinal);
        Assert.Contains("Объединено с «ООО «Слияние Бета»»", await anna.GetStringAsync($"/companies/{kept}?show=changes"), StringComparison.Ordinal);

        var old = await anna.GetAsync($"/companies/{gone}");
        Assert.Equal(HttpStatusCode.Redirect, old.StatusCode);
        Assert.Equal($"/companies/{kept}", old.Headers.Location!.OriginalString);
        Assert.Equal($"/companies/{kept}", (await anna.GetAsync($"/companies/{gone}/edit")).Headers.Location!.OriginalString);
        var api = await app.ApiClientAsync(CrmApp.Anna, "ru");
        var moved = await api.GetAsync($"/api/v1/companies/{gone}");
        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal($"/api/v1/companies/{kept}", moved.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Merging_contacts_linked_to_the_same_company_keeps_one_link_and_merges_into_merges_follow_through()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var company = await CreateCompanyAsync(anna, "АО «Общий работодатель»");
        var first = await CreateContactAsync(anna, "Пётр Первый", company, null, ("Form.Emails", "petr@example.ru"));
        var second = await CreateContactAsync(anna, "Пётр Первый (дубль)", company, "Снабженец", ("Form.Position", "Снабженец"));
        var third = await CreateContactAsync(anna, "Пётр Третий", null, null);

        var page = await anna.GetStringAsync($"/contacts/{first}/merge?with={second}");
        var response = await PostMergeAsync(anna, "contacts", first, second, page, first);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        page = await anna.GetStringAsync($"/contacts/{third}/merge?with={first}");
        Assert.Equal(HttpStatusCode.Redirect, (await PostMergeAsync(anna, "contacts", third, first, page, third)).StatusCode);

        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ClientsDbContext>();
            var link = await db.ContactCompanies.SingleAsync(l => l.CompanyId == company);
            Assert.Equal(third, link.ContactId);
            Assert.Equal("Снабженец", link.Role);
            var contact = await db.Contacts.SingleAsync(c => c.Id == third);
            Assert.Equal("Снабженец", contact.Position);
            Assert.Equal(["petr@example.ru"], contact.Emails);
            Assert.Equal(third, (await db.MergedRecords.SingleAsync(m => m.RemovedId == second)).SurvivorId);
        });
        Assert.Equal($"/contacts/{third}", (await anna.GetAsync($"/contacts/{second}")).Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_manager_cannot_merge_a_colleagues_record_nor_see_it_through_a_merge()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var ivan = await app.SignInAsync(CrmApp.Ivan);
        var annas = await CreateCompanyAsync(anna, "ООО «Аннина фирма»");
        var his = await CreateCompanyAsync(ivan, "ООО «Иванова фирма»");
        var hisOther = await CreateCompanyAsync(ivan, "ООО «Иванова вторая»");

        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/companies/{his}/merge?with={annas}")).StatusCode);
        var picker = await anna.GetStringAsync($"/companies/{annas}/merge?with={his}");
        Assert.DoesNotContain("Иванова фирма", picker, StringComparison.Ordinal);
        var token = CrmApp.AntiforgeryToken(await anna.GetStringAsync($"/companies/{annas}"));
        foreach (var survivor in new[] { annas, his })
        {
            var posted = await anna.PostAsync($"/companies/{annas}/merge?with={his}", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Survivor"] = survivor.ToString(),
            }));
            Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        }

        var page = await ivan.GetStringAsync($"/companies/{his}/merge?with={hisOther}");
        Assert.Equal(HttpStatusCode.Redirect, (await PostMergeAsync(ivan, "companies", his, hisOther, page, his)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/companies/{hisOther}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/companies/{hisOther}/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ApiClientAsync(CrmApp.Anna, "ru")).GetAsync($"/api/v1/companies/{hisOther}")).StatusCode);
        Assert.True(await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Companies.AnyAsync(c => c.Id == annas)));
    }

    [Fact]
    public async Task A_record_saved_by_someone_after_the_merge_page_was_opened_is_not_merged()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var kept = await CreateCompanyAsync(anna, "ООО «Версия Один»");
        var gone = await CreateCompanyAsync(anna, "ООО «Версия Два»");
        var page = await anna.GetStringAsync($"/companies/{kept}/merge?with={gone}");

        var head = await app.SignInAsync(CrmApp.Head);
        var edited = await CrmApp.PostFormAsync(head, $"/companies/{gone}/edit", $"/companies/{gone}/edit", new Dictionary<string, string>
        {
            ["Form.Name"] = "ООО «Версия Два»", ["Form.Type"] = "Partner", ["Form.Industry"] = "Изменено начальником",
        });
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);

        var response = await PostMergeAsync(anna, "companies", kept, gone, page, kept);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Одну из записей тем временем изменили", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ClientsDbContext>();
            Assert.Equal(2, await db.Companies.CountAsync(c => c.Id == kept || c.Id == gone));
            Assert.False(await db.MergedRecords.AnyAsync(m => m.RemovedId == gone));
            Assert.False(await db.Timeline.AnyAsync(e => e.RecordId == kept && e.Kind == "merged"));
        });
    }

    [Fact]
    public async Task The_duplicates_warning_on_an_edit_form_offers_the_merge_page()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var existing = await CreateCompanyAsync(anna, "ООО «Дубликатор»", ("Form.Phones", "+7 812 777-66-55"));
        var edited = await CreateCompanyAsync(anna, "ООО «Совсем другое»");

        var response = await CrmApp.PostFormAsync(anna, $"/companies/{edited}/edit", $"/companies/{edited}/edit", new Dictionary<string, string>
        {
            ["Form.Name"] = "ООО «Совсем другое»", ["Form.Type"] = "Client", ["Form.Phones"] = "+7 812 777-66-55",
        });

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"href=\"/companies/{existing}/merge?with={edited}\"", html, StringComparison.Ordinal);
        var picker = await anna.GetStringAsync($"/companies/{existing}/merge");
        Assert.Contains("Сравнить", picker, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostMergeAsync(HttpClient client, string path, Guid id, Guid with, string page, Guid survivor, params (string Name, string Value)[] fields)
    {
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = CrmApp.AntiforgeryToken(page),
            ["Survivor"] = survivor.ToString(),
            ["Version"] = VersionField().Match(page).Groups[1].Value,
            ["OtherVersion"] = OtherVersionField().Match(page).Groups[1].Value,
        };
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        return await client.PostAsync($"/{path}/{id}/merge?with={with}", new FormUrlEncodedContent(form));
    }

    private static async Task<Guid> CreateCompanyAsync(HttpClient client, string name, params (string Name, string Value)[] fields)
    {
        var form = new Dictionary<string, string> { ["Form.Name"] = name, ["Form.Type"] = "Client", ["Form.IgnoreDuplicates"] = "true" };
        foreach (var (key, value) in fields)
        {
            form[key] = value;
        }

        var created = await CrmApp.PostFormAsync(client, "/companies/new", "/companies/new", form);
        return Guid.Parse(created.Headers.Location!.OriginalString.Split('/').Last());
    }

    private static async Task<Guid> CreateContactAsync(HttpClient client, string name, Guid? company, string? role, params (string Name, string Value)[] fields)
    {
        var form = new Dictionary<string, string> { ["Form.FullName"] = name, ["Form.IgnoreDuplicates"] = "true" };
        if (company is not null)
        {
            form["Form.CompanyId"] = company.Value.ToString();
            form["Form.Role"] = role ?? "";
        }

        foreach (var (key, value) in fields)
        {
            form[key] = value;
        }

        var created = await CrmApp.PostFormAsync(client, "/contacts/new", "/contacts/new", form);
        return Guid.Parse(created.Headers.Location!.OriginalString.Split('/').Last());
    }


    [GeneratedRegex("name=\"Version\" value=\"([0-9]+)\"")]
    private static partial Regex VersionField();

    [GeneratedRegex("name=\"OtherVersion\" value=\"([0-9]+)\"")]
    private static partial Regex OtherVersionField();
}
