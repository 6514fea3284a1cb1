using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Clients.Data;
using Crm.Clients.Jobs;
using Crm.CustomFields.Data;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Clients;

/// <summary>Custom fields: an admin defines them; forms, cards, the API and the import fill and check them alike.</summary>
public sealed class CustomFieldTests(CrmApp app) : IClassFixture<CrmApp>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (await app.WithScopeAsync(s => s.GetRequiredService<FieldsDbContext>().Definitions.AnyAsync()))
        {
            return;
        }

        var admin = await app.SignInAsync(CrmApp.Admin);
        await DefineAsync(admin, "company", "Сегмент рынка", "List", required: false, options: "Розница\nОпт\nHoReCa");
        await DefineAsync(admin, "company", "Сотрудников", "Number", required: false);
        await DefineAsync(admin, "company", "Договор подписан", "YesNo", required: false);
        await DefineAsync(admin, "contact", "Канал связи", "MultiList", required: true, options: "Телефон\nTelegram\nПочта");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_field_defined_by_an_admin_is_filled_on_the_form_checked_and_shown_on_the_card()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var form = await anna.GetStringAsync("/companies/new");
        Assert.Contains("name=\"Form.Custom[segment_rynka]\"", form, StringComparison.Ordinal);

        var refused = await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", new Dictionary<string, string>
        {
            ["Form.Name"] = "Поля Первая", ["Form.Type"] = "Client", ["Form.Custom[sotrudnikov]"] = "много", ["Form.Custom[segment_rynka]"] = "Опт",
        });
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("«много» — не число.", html, StringComparison.Ordinal);
        // What was typed stays on the form.
        Assert.Matches("<option value=\"Опт\" selected=\"selected\">", html);

        var created = await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", new Dictionary<string, string>
        {
            ["Form.Name"] = "Поля Первая", ["Form.Type"] = "Client", ["Form.Custom[sotrudnikov]"] = "1 250", ["Form.Custom[segment_rynka]"] = "опт",
            ["Form.Custom[dogovor_podpisan]"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var card = WebUtility.HtmlDecode(await anna.GetStringAsync(created.Headers.Location!.OriginalString));
        Assert.Matches("data-custom-value=\"segment_rynka\">\\s*Опт", card);
        Assert.Matches("data-custom-value=\"sotrudnikov\">\\s*1\u00A0250", card);
        Assert.Matches("data-custom-value=\"dogovor_podpisan\">\\s*Да", card);

        var id = created.Headers.Location!.OriginalString.Split('/')[^1];
        var edit = await CrmApp.PostFormAsync(anna, $"/companies/{id}/edit", $"/companies/{id}/edit", new Dictionary<string, string>
        {
            ["Form.Name"] = "Поля Первая", ["Form.Type"] = "Client", ["Form.Custom[sotrudnikov]"] = "1300", ["Form.Custom[segment_rynka]"] = "Опт",
            ["Form.Custom[dogovor_podpisan]"] = "false", ["Form.OwnerId"] = await OwnerOnFormAsync(anna, $"/companies/{id}/edit"),
        });
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        var changes = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Timeline
            .Where(e => e.RecordId == Guid.Parse(id) && e.Kind == "changed").Select(e => e.Text).SingleAsync());
        Assert.Contains("Сотрудников: 1\u00A0250 → 1\u00A0300", changes, StringComparison.Ordinal);
        Assert.Contains("Договор подписан: Да → Нет", changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_reads_and_writes_custom_fields_and_names_the_wrong_one()
    {
        var api = await app.ApiClientAsync(CrmApp.Anna);
        var missing = await api.PostAsJsonAsync("/api/v1/contacts", new { fullName = "Поля Без Канала" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var problem = await missing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("customFields.kanal_svyazi", out _), problem.ToString());

        var created = await api.PostAsJsonAsync("/api/v1/contacts", new { fullName = "Поля С Каналом", customFields = new Dictionary<string, object> { ["kanal_svyazi"] = new[] { "Telegram", "почта" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var contact = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("[\"Telegram\",\"Почта\"]", contact.GetProperty("customFields").GetProperty("kanal_svyazi").GetRawText());

        // A patch leaves the fields it does not send as they are.
        var patched = await api.PatchAsJsonAsync($"/api/v1/contacts/{contact.GetProperty("id").GetGuid()}", new { position = "Снабженец" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(2, (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customFields").GetProperty("kanal_svyazi").GetArrayLength());

        var wrong = await api.PatchAsJsonAsync($"/api/v1/contacts/{contact.GetProperty("id").GetGuid()}", new { customFields = new { kanal_svyazi = "Голубиная почта" } });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
    }

    [Fact]
    public async Task An_import_maps_a_custom_field_by_its_name_and_rejects_a_wrong_value()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var csv = ImportFiles.Csv("Название;Сотрудников;Сегмент рынка\r\nПоля Импорт Один;45;Розница\r\nПоля Импорт Два;сорок;Опт\r\n", "utf-8");
        var upload = await ImportTests.PostUploadAsync(anna, "companies", "fields.csv", csv);
        var id = Guid.Parse(Regex.Match(upload.Headers.Location!.OriginalString, "/imports/([0-9a-f-]{36})/").Groups[1].Value);
        var import = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Imports.AsNoTracking().SingleAsync(i => i.Id == id));
        Assert.Equal(["name", "cf:sotrudnikov", "cf:segment_rynka"], import.Columns.Select(c => c.Field));

        var page = await anna.GetStringAsync($"/imports/{id}/mapping");
        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", CrmApp.AntiforgeryToken(page)), new("Duplicates", "Create"), new("Key", "Inn"),
            new("DefaultOwnerId", Regex.Match(page, "<option value=\"([0-9a-f-]{36})\" selected=\"selected\">").Groups[1].Value), new("Start", "true"),
            new("Fields[0]", "name"), new("Fields[1]", "cf:sotrudnikov"), new("Fields[2]", "cf:segment_rynka"),
        };
        Assert.Equal(HttpStatusCode.Redirect, (await anna.PostAsync($"/imports/{id}/mapping", new FormUrlEncodedContent(fields))).StatusCode);
        await app.WithScopeAsync(s => s.GetRequiredService<ImportJob>().RunAsync(id, CancellationToken.None));

        var done = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Imports.AsNoTracking().SingleAsync(i => i.Id == id));
        Assert.Equal((2, 1, 1), (done.Total, done.Imported, done.Rejected));
        var company = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Companies.AsNoTracking().SingleAsync(c => c.Name == "Поля Импорт Один"));
        Assert.Equal(45, company.CustomFields!.RootElement.GetProperty("sotrudnikov").GetDecimal());
        Assert.Equal("Розница", company.CustomFields.RootElement.GetProperty("segment_rynka").GetString());
    }

    [Fact]
    public async Task Only_an_admin_defines_fields_and_a_field_keeps_its_type()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var denied = await anna.GetAsync("/admin/fields");
        Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);

        var admin = await app.SignInAsync(CrmApp.Admin);
        var list = await admin.GetStringAsync("/admin/fields?kind=company");
        var id = Regex.Match(list, "href=\"/admin/fields/([0-9a-f-]{36})\">Сотрудников<").Groups[1].Value;
        var changed = await CrmApp.PostFormAsync(admin, $"/admin/fields/{id}", $"/admin/fields/{id}", new Dictionary<string, string>
        {
            ["Form.Label"] = "Сотрудников", ["Form.Type"] = "Text", ["Form.Order"] = "1",
        });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("Тип поля менять нельзя", WebUtility.HtmlDecode(await changed.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var duplicate = await CrmApp.PostFormAsync(admin, "/admin/fields/new?kind=company", "/admin/fields/new?kind=company", new Dictionary<string, string>
        {
            ["Form.Label"] = "Сотрудников", ["Form.Type"] = "Number", ["Form.Order"] = "1",
        });
        Assert.Contains("уже есть ключ sotrudnikov", WebUtility.HtmlDecode(await duplicate.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_custom_field_is_a_list_column_a_filter_and_a_sort_that_pages_exactly()
    {
        var api = await app.ApiClientAsync(CrmApp.Ivan);
        for (var i = 0; i < 57; i++)
        {
            object body = i % 10 == 9
                ? new { name = $"Сортировка {i:00}" }
                : new { name = $"Сортировка {i:00}", customFields = new Dictionary<string, object> { ["sotrudnikov"] = (i % 7) * 100 + 5 } };
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/companies", body)).StatusCode);
        }

        var ivan = await app.SignInAsync(CrmApp.Ivan);
        // Sorted by the number (not as text: 605 after 105), then by id; every row exactly once over the pages.
        var seen = new List<(Guid Id, string Cell)>();
        var html = await ivan.GetStringAsync("/companies?q=" + Uri.EscapeDataString("Сортировка") + "&sort=-cf:sotrudnikov");
        while (true)
        {
            seen.AddRange(Regex.Matches(html, "<a href=\"/companies/([0-9a-f-]{36})\">Сортировка \\d+</a>").Select(m => (Guid.Parse(m.Groups[1].Value), m.Value)));
            var more = Regex.Match(html, "hx-get=\"([^\"]+after=[^\"]+)\"");
            if (!more.Success)
            {
                break;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, WebUtility.HtmlDecode(more.Groups[1].Value));
            request.Headers.Add("HX-Request", "true");
            html = await (await ivan.SendAsync(request)).Content.ReadAsStringAsync();
        }

        Assert.Equal(57, seen.Select(s => s.Id).Distinct().Count());
        Assert.Equal(57, seen.Count);
        var values = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Companies.AsNoTracking()
            .Where(c => c.Name.StartsWith("Сортировка")).ToDictionaryAsync(c => c.Id, c => c.CustomFields == null ? 0m : c.CustomFields.RootElement.GetProperty("sotrudnikov").GetDecimal()));
        var order = seen.Select(s => values[s.Id]).ToList();
        Assert.Equal(order.OrderByDescending(v => v).ToList(), order);
        Assert.Equal(605m, order[0]);

        // The filter: equal values only; a value that does not fit the field says so and matches nothing.
        var filtered = WebUtility.HtmlDecode(await ivan.GetStringAsync("/companies?cf=sotrudnikov&cv=305"));
        Assert.Equal(8, Regex.Count(filtered, "<a href=\"/companies/[0-9a-f-]{36}\">Сортировка"));
        var wrong = WebUtility.HtmlDecode(await ivan.GetStringAsync("/companies?cf=sotrudnikov&cv=" + Uri.EscapeDataString("много")));
        Assert.Contains("«много» не подходит для поля «Сотрудников»", wrong, StringComparison.Ordinal);
        Assert.DoesNotContain(">Сортировка", wrong, StringComparison.Ordinal);

        // A column of the list and of the export.
        var export = await api.GetAsync("/api/v1/companies/export?format=csv&columns=name,cf:sotrudnikov&cf=sotrudnikov&q=" + Uri.EscapeDataString("Сортировка 0"));
        var csv = System.Text.Encoding.UTF8.GetString(await export.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        Assert.StartsWith("Name;Сотрудников\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("Сортировка 03;305", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_filter_takes_a_standard_field()
    {
        var api = await app.ApiClientAsync(CrmApp.Ivan);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/companies", new { name = "Отрасль Один", industry = "Кондитерская фабрика" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/companies", new { name = "Отрасль Два", industry = "Металлургия" })).StatusCode);
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        var html = WebUtility.HtmlDecode(await ivan.GetStringAsync("/companies?cf=f:industry&cv=" + Uri.EscapeDataString("кондитерская ФАБРИКА")));
        Assert.Contains(">Отрасль Один<", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">Отрасль Два<", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"f:industry\" selected=\"selected\">Отрасль</option>", html, StringComparison.Ordinal);

        var leads = WebUtility.HtmlDecode(await ivan.GetStringAsync("/leads?cf=f:status&cv=" + Uri.EscapeDataString("нечто")));
        Assert.DoesNotContain("<a href=\"/leads/", leads, StringComparison.Ordinal);
    }

    private static async Task DefineAsync(HttpClient admin, string kind, string label, string type, bool required, string options = "")
    {
        var response = await CrmApp.PostFormAsync(admin, $"/admin/fields/new?kind={kind}", $"/admin/fields/new?kind={kind}", new Dictionary<string, string>
        {
            ["Form.Label"] = label, ["Form.Type"] = type, ["Form.Required"] = required ? "true" : "false", ["Form.Options"] = options, ["Form.Order"] = "10",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> OwnerOnFormAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return Regex.Match(html, "<option value=\"([0-9a-f-]{36})\" selected=\"selected\">").Groups[1].Value;
    }
}
