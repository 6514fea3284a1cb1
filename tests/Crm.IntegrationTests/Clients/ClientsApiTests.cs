using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Crm.Testing;
using Xunit;

namespace Crm.IntegrationTests.Clients;

public sealed class ClientsApiTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task A_company_is_created_read_partly_updated_and_deleted_through_the_api()
    {
        var anna = await ApiClientAsync(CrmApp.Anna);

        var created = await anna.PostAsJsonAsync("/api/v1/companies", new { name = "ООО «API»", inn = "7707083893", phones = new[] { "8 495 100-20-30" }, type = "Partner" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var company = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = company.GetProperty("id").GetString();
        Assert.Equal("+74951002030", company.GetProperty("phones")[0].GetString());
        Assert.Equal("Partner", company.GetProperty("type").GetString());

        var patched = await anna.PatchAsJsonAsync($"/api/v1/companies/{id}", new { industry = "Логистика" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var after = await patched.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Логистика", after.GetProperty("industry").GetString());
        Assert.Equal("7707083893", after.GetProperty("inn").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await anna.DeleteAsync($"/api/v1/companies/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/api/v1/companies/{id}")).StatusCode);
    }

    [Fact]
    public async Task Invalid_input_answers_a_validation_problem_with_the_pages_messages()
    {
        var anna = await ApiClientAsync(CrmApp.Anna);

        var response = await anna.PostAsJsonAsync("/api/v1/companies", new { name = "", inn = "123", emails = new[] { "nope" } });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = problem.GetProperty("errors");
        Assert.Equal("Введите название компании.", errors.GetProperty("name")[0].GetString());
        Assert.Equal("ИНН — 10 или 12 цифр с верным контрольным числом.", errors.GetProperty("inn")[0].GetString());
        Assert.Equal("«nope» — не адрес e-mail.", errors.GetProperty("emails")[0].GetString());
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_not_a_500()
    {
        var anna = await ApiClientAsync(CrmApp.Anna);

        var response = await anna.PostAsync("/api/v1/leads", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Another_managers_record_is_not_found_through_any_api_route()
    {
        var anna = await ApiClientAsync(CrmApp.Anna);
        var created = await (await anna.PostAsJsonAsync("/api/v1/contacts", new { fullName = "Контакт Анны API", phones = new[] { "+7 916 700-80-90" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString();
        var ivan = await ApiClientAsync(CrmApp.Ivan);

        Assert.Equal(HttpStatusCode.NotFound, (await ivan.GetAsync($"/api/v1/contacts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ivan.PatchAsJsonAsync($"/api/v1/contacts/{id}", new { position = "Взломщик" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ivan.DeleteAsync($"/api/v1/contacts/{id}")).StatusCode);
        var list = await ivan.GetFromJsonAsync<JsonElement>("/api/v1/contacts?q=" + Uri.EscapeDataString("Контакт Анны API"));
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        var head = await ApiClientAsync(CrmApp.Head);
        Assert.Equal(HttpStatusCode.OK, (await head.GetAsync($"/api/v1/contacts/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_stale_if_match_gets_409_and_changes_nothing()
    {
        var anna = await ApiClientAsync(CrmApp.Anna);
        var created = await (await anna.PostAsJsonAsync("/api/v1/leads", new { name = "Лид с версией" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString();
        var get = await anna.GetAsync($"/api/v1/leads/{id}");
        var etag = get.Headers.ETag!.Tag;

        await anna.PatchAsJsonAsync($"/api/v1/leads/{id}", new { companyName = "Первая правка" });
        var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/leads/{id}") { Content = JsonContent.Create(new { companyName = "Вторая правка" }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        var conflict = await anna.SendAsync(stale);

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var lead = await anna.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}");
        Assert.Equal("Первая правка", lead.GetProperty("companyName").GetString());
    }

    [Fact]
    public async Task Lists_page_with_a_cursor_and_stay_within_the_scope()
    {
        var anna = await ApiClientAsync(CrmApp.Anna);
        var seen = new HashSet<string>();
        string? cursor = null;
        do
        {
            var page = await anna.GetFromJsonAsync<JsonElement>("/api/v1/companies?limit=40" + (cursor is null ? "" : "&cursor=" + cursor));
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                Assert.True(seen.Add(item.GetProperty("id").GetString()!));
            }

            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        var annaId = (await anna.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("id").GetString();
        var pageHtml = await (await app.SignInAsync(CrmApp.Anna)).GetStringAsync("/companies");
        var total = int.Parse(System.Text.RegularExpressions.Regex.Match(pageHtml, "data-total>([0-9\\s\u00a0]+)<").Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(total, seen.Count);
        Assert.NotNull(annaId);
    }

    /// <summary>An integrator's client: a bearer token, and the language asked for with Accept-Language.</summary>
    private async Task<HttpClient> ApiClientAsync(string email, string language = "ru")
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password = CrmApp.DemoPassword });
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        var client = app.CreateClient(language);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
