using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Clients;

public sealed class LeadConversionTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Converting_offers_the_existing_contact_links_it_creates_the_company_and_carries_the_history()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var contactUrl = (await CrmApp.PostFormAsync(anna, "/contacts/new", "/contacts/new", new Dictionary<string, string>
        {
            ["Form.FullName"] = "Олег Дубов", ["Form.Phones"] = "+7 926 111-22-33",
        })).Headers.Location!.OriginalString;
        var leadUrl = (await CrmApp.PostFormAsync(anna, "/leads/new", "/leads/new", new Dictionary<string, string>
        {
            ["Form.Name"] = "Олег Дубов", ["Form.Phone"] = "8 926 111 22 33", ["Form.CompanyName"] = "ООО «Дубрава»",
            ["Form.Source"] = "Call", ["Form.Status"] = "InWork",
        })).Headers.Location!.OriginalString;
        await CrmApp.PostFormAsync(anna, leadUrl, leadUrl + "/notes", new Dictionary<string, string> { ["Note.Text"] = "Хочет счёт на 20 позиций" });
        var contactId = contactUrl.Split('/').Last();

        var form = await anna.GetStringAsync(leadUrl + "/convert");
        Assert.Contains($"value=\"{contactId}\" checked", form.Replace("checked=\"checked\"", "checked", StringComparison.Ordinal), StringComparison.Ordinal);

        var converted = await CrmApp.PostFormAsync(anna, leadUrl + "/convert", leadUrl + "/convert", new Dictionary<string, string>
        {
            ["Form.Contact"] = contactId, ["Form.Company"] = "new",
        });

        Assert.Equal(HttpStatusCode.Redirect, converted.StatusCode);
        Assert.Equal(contactUrl, converted.Headers.Location!.OriginalString);
        var contactCard = await anna.GetStringAsync(contactUrl);
        Assert.Contains("Хочет счёт на 20 позиций", contactCard, StringComparison.Ordinal);
        Assert.Contains("ООО «Дубрава»", contactCard, StringComparison.Ordinal);
        var lead = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Leads.SingleAsync(l => l.Name == "Олег Дубов"));
        Assert.Equal(LeadStatus.Converted, lead.Status);
        Assert.Equal(Guid.Parse(contactId), lead.ConvertedContactId);
        Assert.NotNull(lead.ConvertedCompanyId);
        Assert.Equal(1, await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Contacts.CountAsync(c => c.FullName == "Олег Дубов")));
    }

    [Fact]
    public async Task The_api_converts_into_a_new_contact_once_and_refuses_a_second_time()
    {
        var token = await TokenAsync(CrmApp.Ivan);
        var created = await (await token.PostAsJsonAsync("/api/v1/leads", new { name = "Лид для API", email = "api-lead@example.ru" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString();

        var first = await token.PostAsJsonAsync($"/api/v1/leads/{id}/convert", new { });
        var second = await token.PostAsJsonAsync($"/api/v1/leads/{id}/convert", new { });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var contactId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetString();
        var contact = await token.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{contactId}");
        Assert.Equal("api-lead@example.ru", contact.GetProperty("emails")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
    }

    [Fact]
    public async Task A_colleague_cannot_convert_someone_elses_lead()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var leadUrl = (await CrmApp.PostFormAsync(anna, "/leads/new", "/leads/new", new Dictionary<string, string>
        {
            ["Form.Name"] = "Чужой лид", ["Form.Source"] = "Manual", ["Form.Status"] = "New",
        })).Headers.Location!.OriginalString;
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        Assert.Equal(HttpStatusCode.NotFound, (await ivan.GetAsync(leadUrl + "/convert")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CrmApp.PostFormAsync(ivan, "/leads", leadUrl + "/convert", new Dictionary<string, string> { ["Form.Contact"] = "new", ["Form.Company"] = "none" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await TokenAsync(CrmApp.Ivan)).PostAsJsonAsync($"/api/v1{leadUrl}/convert", new { })).StatusCode);
    }

    [Fact]
    public async Task The_search_api_answers_within_the_callers_scope()
    {
        var anna = await TokenAsync(CrmApp.Anna);
        await anna.PostAsJsonAsync("/api/v1/companies", new { name = "ООО «Поиск через API»" });

        var mine = await anna.GetFromJsonAsync<JsonElement>("/api/v1/search?q=" + Uri.EscapeDataString("Поиск через API"));
        var theirs = await (await TokenAsync(CrmApp.Ivan)).GetFromJsonAsync<JsonElement>("/api/v1/search?q=" + Uri.EscapeDataString("Поиск через API"));
        var tooShort = await anna.GetAsync("/api/v1/search?q=a");

        Assert.Contains("ООО «Поиск через API»", mine.GetRawText().Replace("\\u00AB", "«", StringComparison.Ordinal).Replace("\\u00BB", "»", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(0, theirs.GetProperty("groups").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
    }

    private async Task<HttpClient> TokenAsync(string email)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password = CrmApp.DemoPassword });
        var client = app.CreateClient("ru");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        return client;
    }
}
