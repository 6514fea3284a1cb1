using System.Net;
using System.Text.RegularExpressions;
using Crm.Clients.Data;
using Crm.Identity.Domain;
using Crm.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Clients;

public sealed partial class ClientPagesTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Invalid_requisites_come_back_next_to_their_fields_and_keep_the_input()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);

        var response = await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", CompanyForm("ООО «Проверка»", inn: "1234567890", phones: "12345", emails: "not-an-email", kpp: "12", ogrn: "1027700132196"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ИНН — 10 или 12 цифр с верным контрольным числом.", html, StringComparison.Ordinal);
        Assert.Contains("КПП — 9 знаков: 4 цифры, 2 цифры или буквы, 3 цифры.", html, StringComparison.Ordinal);
        Assert.Contains("ОГРН — 13 или 15 цифр с верным контрольным числом.", html, StringComparison.Ordinal);
        Assert.Contains("«12345» — не номер телефона.", html, StringComparison.Ordinal);
        Assert.Contains("«not-an-email» — не адрес e-mail.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"ООО «Проверка»\"", html, StringComparison.Ordinal);
        Assert.False(await CompanyExistsAsync("ООО «Проверка»"));
    }

    [Fact]
    public async Task A_created_company_stores_normalized_phones_and_emails_and_starts_its_timeline()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);

        var created = await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", CompanyForm("ООО «Ромашка-Тест»", inn: "7707083893", phones: "8 (495) 765-43-21\n+7 916 765 43 21", emails: " Sales@Romashka-Test.RU "));

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var card = WebUtility.HtmlDecode(await anna.GetStringAsync(created.Headers.Location!.OriginalString));
        Assert.Contains("+7 495 765-43-21", card, StringComparison.Ordinal);
        Assert.Contains("sales@romashka-test.ru", card, StringComparison.Ordinal);
        Assert.Contains("Компания создана", card, StringComparison.Ordinal);
        var stored = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Companies.SingleAsync(c => c.Name == "ООО «Ромашка-Тест»"));
        Assert.Equal(["+74957654321", "+79167654321"], stored.Phones);
        Assert.Equal("74957654321 79167654321", stored.PhoneDigits);
    }

    [Fact]
    public async Task The_header_search_finds_a_company_by_name_fragment_phone_digits_inn_and_email_prefix()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", CompanyForm("ООО «Василёк Трейд»", inn: "7736207543", phones: "+7 495 111-22-33", emails: "office@vasilek-trade.ru"));

        foreach (var query in new[] { "Василёк", "василек трейд", "1112233", "7736207543", "office@vasilek" })
        {
            var hits = await anna.GetStringAsync("/search/suggest?q=" + Uri.EscapeDataString(query));
            Assert.True(hits.Contains("Василёк Трейд", StringComparison.Ordinal), $"'{query}' did not find the company.");
        }
    }

    [Fact]
    public async Task A_manager_cannot_reach_a_colleagues_company_through_any_route()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var created = await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", CompanyForm("ООО «Только Анны»", phones: "+7 495 222-33-44"));
        var url = created.Headers.Location!.OriginalString;
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        Assert.Equal(HttpStatusCode.NotFound, (await ivan.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ivan.GetAsync(url + "/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CrmApp.PostFormAsync(ivan, "/companies", url + "/edit", CompanyForm("Захвачено"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CrmApp.PostFormAsync(ivan, "/companies", url + "/notes", new Dictionary<string, string> { ["Note.Text"] = "чужая заметка" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CrmApp.PostFormAsync(ivan, "/companies", url + "/delete", new Dictionary<string, string>())).StatusCode);
        Assert.DoesNotContain("ООО «Только Анны»", await ivan.GetStringAsync("/companies?q=" + Uri.EscapeDataString("Только Анны")), StringComparison.Ordinal);
        Assert.DoesNotContain("ООО «Только Анны»", await ivan.GetStringAsync("/search/suggest?q=" + Uri.EscapeDataString("Только Анны")), StringComparison.Ordinal);
        Assert.DoesNotContain("ООО «Только Анны»", await ivan.GetStringAsync("/search/suggest?q=2223344"), StringComparison.Ordinal);
        Assert.True(await CompanyExistsAsync("ООО «Только Анны»"));

        // The head of the department and the admin see it.
        Assert.Equal(HttpStatusCode.OK, (await (await app.SignInAsync(CrmApp.Head)).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await app.SignInAsync(CrmApp.Admin)).GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task The_head_of_another_department_does_not_see_the_sales_departments_clients()
    {
        await app.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<CrmUser>>();
            var db = services.GetRequiredService<Crm.Identity.Data.IdentityDbContext>();
            var headOffice = await db.Departments.SingleAsync(d => d.ParentId == null);
            var purchasing = new Department { Id = Guid.CreateVersion7(), Name = "Отдел закупок", ParentId = headOffice.Id };
            db.Departments.Add(purchasing);
            await db.SaveChangesAsync();
            services.GetRequiredService<Crm.Identity.Access.AccessRules>().DepartmentsChanged();
            var other = new CrmUser { Id = Guid.CreateVersion7(), UserName = "buyer-head@crm.local", Email = "buyer-head@crm.local", FullName = "Пётр Закупкин", DepartmentId = purchasing.Id };
            await users.CreateAsync(other, "buyer head password");
            await users.AddToRoleAsync(other, "SalesHead");
        });
        var anna = await app.SignInAsync(CrmApp.Anna);
        var url = (await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", CompanyForm("ООО «Отдел продаж»"))).Headers.Location!.OriginalString;

        var otherHead = await app.SignInAsync("buyer-head@crm.local", "buyer head password");

        Assert.Equal(HttpStatusCode.NotFound, (await otherHead.GetAsync(url)).StatusCode);
        Assert.Contains("data-total>0<", await otherHead.GetStringAsync("/companies"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manager_can_only_make_themself_responsible()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var ivanId = await Identity.UserIds.FindAsync(app, CrmApp.Ivan);
        var form = CompanyForm("ООО «Чужой ответственный»");
        form["Form.OwnerId"] = ivanId.ToString();

        var response = await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Выберите ответственного из списка.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await CompanyExistsAsync("ООО «Чужой ответственный»"));
    }

    [Fact]
    public async Task Notes_go_on_the_timeline_and_an_empty_note_is_refused()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var url = (await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", CompanyForm("ООО «Заметки»"))).Headers.Location!.OriginalString;

        var empty = await CrmApp.PostFormAsync(anna, url, url + "/notes", new Dictionary<string, string> { ["Note.Text"] = "  " });
        var added = await CrmApp.PostFormAsync(anna, url, url + "/notes", new Dictionary<string, string> { ["Note.Text"] = "Договорились о встрече в пятницу" });

        Assert.Contains("Сначала напишите заметку.", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("Договорились о встрече в пятницу", await anna.GetStringAsync(url), StringComparison.Ordinal);
        Assert.Contains("Договорились о встрече в пятницу", await anna.GetStringAsync(url + "?show=notes"), StringComparison.Ordinal);
        Assert.DoesNotContain("Компания создана", await anna.GetStringAsync(url + "?show=notes"), StringComparison.Ordinal);
        var changes = await anna.GetStringAsync(url + "?show=changes");
        Assert.Contains("Компания создана", changes, StringComparison.Ordinal);
        Assert.DoesNotContain("Договорились о встрече в пятницу", changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edits_are_recorded_field_by_field_and_a_stale_form_gets_a_conflict_instead_of_overwriting()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var url = (await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", CompanyForm("ООО «Версии»"))).Headers.Location!.OriginalString;
        var head = await app.SignInAsync(CrmApp.Head);
        var annaForm = await FormFieldsAsync(anna, url + "/edit");
        var headForm = await FormFieldsAsync(head, url + "/edit");

        annaForm["Form.Industry"] = "Логистика";
        var first = await CrmApp.PostFormAsync(anna, url + "/edit", url + "/edit", annaForm);
        headForm["Form.Industry"] = "Торговля";
        var second = await CrmApp.PostFormAsync(head, url + "/edit", url + "/edit", headForm);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("Пока вы редактировали, запись сохранил кто-то другой.", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var card = await anna.GetStringAsync(url);
        Assert.Contains("Отрасль: — → Логистика", card, StringComparison.Ordinal);
        Assert.DoesNotContain("Торговля", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleted_records_go_to_the_recycle_bin_and_disappear_from_lists_cards_and_search()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var url = (await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", CompanyForm("ООО «Удаляемая»"))).Headers.Location!.OriginalString;

        var deleted = await CrmApp.PostFormAsync(anna, url, url + "/delete", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync(url)).StatusCode);
        Assert.DoesNotContain(url, await anna.GetStringAsync("/companies?q=" + Uri.EscapeDataString("Удаляемая")), StringComparison.Ordinal);
        Assert.DoesNotContain(url, await anna.GetStringAsync("/search/suggest?q=" + Uri.EscapeDataString("Удаляемая")), StringComparison.Ordinal);
        var deletedAt = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Companies.Where(c => c.Name == "ООО «Удаляемая»").Select(c => c.DeletedAt).SingleAsync());
        Assert.NotNull(deletedAt);
    }

    [Fact]
    public async Task A_contact_created_from_a_company_card_is_linked_to_it()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var companyUrl = (await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", CompanyForm("ООО «С контактом»"))).Headers.Location!.OriginalString;
        var companyId = companyUrl.Split('/').Last();
        var form = await FormFieldsAsync(anna, "/contacts/new?company=" + companyId);
        form["Form.FullName"] = "Сергей Лебедев";
        form["Form.Role"] = "Директор";
        form["Form.Phones"] = "+7 903 555-66-77";

        var created = await CrmApp.PostFormAsync(anna, "/contacts/new?company=" + companyId, "/contacts/new", form);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains("ООО «С контактом»", await anna.GetStringAsync(created.Headers.Location!.OriginalString), StringComparison.Ordinal);
        var companyCard = await anna.GetStringAsync(companyUrl);
        Assert.Contains("Сергей Лебедев", companyCard, StringComparison.Ordinal);
        Assert.Contains("Директор", companyCard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_page_by_keyset_without_repeating_or_losing_rows()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var seen = new List<string>();
        var url = "/contacts";
        for (var page = 0; page < 20 && url is not null; page++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (page > 0)
            {
                request.Headers.Add("HX-Request", "true");
            }

            var html = await (await admin.SendAsync(request)).Content.ReadAsStringAsync();
            seen.AddRange(ContactLink().Matches(html).Select(m => m.Groups[1].Value));
            var more = MoreLink().Match(html);
            url = more.Success ? WebUtility.HtmlDecode(more.Groups[1].Value) : null;
        }

        var total = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Contacts.CountAsync(c => c.DeletedAt == null));
        Assert.Equal(total, seen.Count);
        Assert.Equal(total, seen.Distinct().Count());
    }

    private static Dictionary<string, string> CompanyForm(string name, string inn = "", string phones = "", string emails = "", string kpp = "", string ogrn = "") => new()
    {
        ["Form.Name"] = name,
        ["Form.Inn"] = inn,
        ["Form.Kpp"] = kpp,
        ["Form.Ogrn"] = ogrn,
        ["Form.Type"] = "Client",
        ["Form.Phones"] = phones,
        ["Form.Emails"] = emails,
        ["Form.Tags"] = "",
        ["Form.Industry"] = "",
    };

    /// <summary>The fields of the form on a page, as a browser would send them back.</summary>
    private static async Task<Dictionary<string, string>> FormFieldsAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        var fields = new Dictionary<string, string>();
        foreach (Match input in InputField().Matches(html))
        {
            fields[input.Groups["name"].Value] = WebUtility.HtmlDecode(input.Groups["value"].Value);
        }

        foreach (Match select in SelectedOption().Matches(html))
        {
            fields[select.Groups["name"].Value] = select.Groups["value"].Value;
        }

        fields.Remove("__RequestVerificationToken");
        return fields;
    }

    private Task<bool> CompanyExistsAsync(string name) =>
        app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Companies.AnyAsync(c => c.Name == name));

    [GeneratedRegex("<input[^>]*name=\"(?<name>Form\\.[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex InputField();

    [GeneratedRegex("<select[^>]*name=\"(?<name>Form\\.[^\"]+)\"[^>]*>(?:(?!</select>)[\\s\\S])*?<option selected=\"selected\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex SelectedOption();

    [GeneratedRegex("href=\"/contacts/([0-9a-f-]{36})\"")]
    private static partial Regex ContactLink();

    [GeneratedRegex("hx-get=\"(/contacts\\?[^\"]+)\"")]
    private static partial Regex MoreLink();
}
