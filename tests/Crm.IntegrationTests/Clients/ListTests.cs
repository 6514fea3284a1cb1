using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Clients;

public sealed partial class ListTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task The_chosen_columns_are_remembered_and_used_by_the_page_and_its_export()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        await CreateCompanyAsync(anna, "ООО «Столбцы»", "Столбцы-тест");

        var saved = await PostAsync(anna, "/companies", "/companies/columns", Form(("Columns", "owner"), ("Columns", "kpp"), ("Columns", "inn"), ("Move", "kpp:up"), ("Return", "?tag=x")));
        var html = await anna.GetStringAsync("/companies?tag=" + Uri.EscapeDataString("Столбцы-тест"));
        var csv = await CsvAsync(anna, "/companies/export?format=csv&tag=" + Uri.EscapeDataString("Столбцы-тест"));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/companies?tag=x&chooser=1", saved.Headers.Location!.OriginalString);
        Assert.Equal(["name", "kpp", "owner", "inn"], HeaderKeys(html));
        Assert.Equal("Название;КПП;Ответственный;ИНН", csv[0]);
        Assert.Equal(2, csv.Length);

        // Another user still sees the defaults.
        var ivan = await app.SignInAsync(CrmApp.Ivan);
        Assert.Equal(["name", "inn", "phones", "industry", "owner"], HeaderKeys(await ivan.GetStringAsync("/companies")));

        // Back to the defaults.
        await PostAsync(anna, "/companies", "/companies/columns", Form(("Move", "reset")));
        Assert.Equal(["name", "inn", "phones", "industry", "owner"], HeaderKeys(await anna.GetStringAsync("/companies")));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("-name")]
    [InlineData("created")]
    [InlineData("-created")]
    [InlineData("updated")]
    [InlineData("-updated")]
    [InlineData("activity")]
    [InlineData("-activity")]
    public async Task Paging_through_a_sorted_list_returns_every_row_exactly_once_in_order(string sort)
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var tag = "Сорт" + sort;
        var expected = await SeedLeadsAsync(anna, tag, 123);

        var seen = await PageThroughAsync(anna, $"/leads?tag={Uri.EscapeDataString(tag)}&sort={sort}");

        Assert.Equal(expected.Count, seen.Count);
        Assert.Equal(expected.Count, seen.Distinct().Count());
        var byId = expected.ToDictionary(l => l.Id);
        var keys = seen.Select(id => byId[id]).ToList();
        for (var i = 1; i < keys.Count; i++)
        {
            var order = Compare(keys[i - 1], keys[i], sort.TrimStart('-'));
            Assert.True(sort[0] == '-' ? order >= 0 : order <= 0, $"rows {i - 1} and {i} are out of order for {sort}");
        }
    }

    [Fact]
    public async Task The_sort_picked_is_remembered_for_the_next_visit()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        await anna.GetStringAsync("/contacts?sort=-updated");

        var html = await anna.GetStringAsync("/contacts");

        Assert.Contains("name=\"sort\" value=\"-updated\"", html, StringComparison.Ordinal);
        Assert.Contains("sort=-updated&amp;after=", html, StringComparison.Ordinal);
        await anna.GetStringAsync("/contacts?sort=name");
    }

    [Fact]
    public async Task The_period_filter_keeps_whole_days_and_a_bad_date_is_explained_not_a_500()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var tag = "Период-тест";
        var leads = await SeedLeadsAsync(anna, tag, 3);
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ClientsDbContext>();
            var days = new[] { new DateTimeOffset(2025, 1, 9, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 1, 10, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 1, 11, 12, 0, 0, TimeSpan.Zero) };
            for (var i = 0; i < 3; i++)
            {
                var id = leads[i].Id;
                await db.Leads.Where(l => l.Id == id).ExecuteUpdateAsync(u => u.SetProperty(l => l.CreatedAt, days[i]).SetProperty(l => l.UpdatedAt, days[i].AddDays(30)));
            }
        });

        var created = await anna.GetStringAsync($"/leads?tag={Uri.EscapeDataString(tag)}&createdFrom=2025-01-10&createdTo=2025-01-10");
        var updated = await anna.GetStringAsync($"/leads?tag={Uri.EscapeDataString(tag)}&updatedFrom=2025-02-09");
        var bad = await anna.GetAsync($"/leads?tag={Uri.EscapeDataString(tag)}&createdFrom=2025-13-40");
        var badHtml = await bad.Content.ReadAsStringAsync();
        var badExport = await anna.GetAsync($"/leads/export?format=csv&createdTo=31.01.2025");

        Assert.Equal([leads[1].Id], RowIds(created, "leads"));
        Assert.Equal([leads[1].Id, leads[2].Id], RowIds(updated, "leads").Order());
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("Введите дату в виде 2026-03-31.", badHtml, StringComparison.Ordinal);
        Assert.Contains("is-invalid", badHtml, StringComparison.Ordinal);
        Assert.Equal(3, RowIds(badHtml, "leads").Count);
        Assert.Equal(HttpStatusCode.BadRequest, badExport.StatusCode);

        // A segment keeps the period.
        var segment = await PostAsync(anna, "/leads", "/leads/segments", Form(("Name", "Январь 10"), ("Tag", tag), ("CreatedFrom", "2025-01-10"), ("CreatedTo", "2025-01-10")));
        Assert.Equal([leads[1].Id], RowIds(await anna.GetStringAsync(segment.Headers.Location!.OriginalString), "leads"));

        var api = await app.ApiClientAsync(CrmApp.Anna, "ru");
        var apiList = await api.GetAsync($"/api/v1/leads?tag={Uri.EscapeDataString(tag)}&createdFrom=2025-01-10&createdTo=2025-01-10");
        var apiItems = (await apiList.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
        Assert.Equal(1, apiItems.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/leads?createdFrom=yesterday")).StatusCode);
        var badApiExport = await api.GetAsync("/api/v1/leads/export?format=csv&updatedTo=2025-02-30");
        Assert.Equal(HttpStatusCode.BadRequest, badApiExport.StatusCode);
        Assert.Contains("updatedTo", await badApiExport.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_export_writes_the_columns_asked_for_in_their_order()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        await CreateCompanyAsync(anna, "ООО «Колонки API»", "Колонки-API");
        var api = await app.ApiClientAsync(CrmApp.Anna, "ru");

        var picked = await CsvAsync(api, "/api/v1/companies/export?format=csv&columns=inn,name,updated&tag=" + Uri.EscapeDataString("Колонки-API"));
        var all = await CsvAsync(api, "/api/v1/companies/export?format=csv&tag=" + Uri.EscapeDataString("Колонки-API"));
        var unknown = await api.GetAsync("/api/v1/companies/export?format=csv&columns=inn,secret");

        Assert.Equal("ИНН;Название;Обновлено", picked[0]);
        Assert.Equal(2, picked.Length);
        Assert.StartsWith("Название;ИНН;КПП;ОГРН;", all[0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("secret", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manager_sorting_and_exporting_still_sees_only_their_records()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var ivan = await app.SignInAsync(CrmApp.Ivan);
        var tag = "Чужие-сорт";
        var annas = await SeedLeadsAsync(anna, tag, 2);
        var ivans = await SeedLeadsAsync(ivan, tag, 2);

        var seen = await PageThroughAsync(anna, $"/leads?tag={Uri.EscapeDataString(tag)}&sort=-activity");
        var csv = await CsvAsync(anna, $"/leads/export?format=csv&sort=name&tag={Uri.EscapeDataString(tag)}");

        Assert.Equal(annas.Select(l => l.Id).Order(), seen.Order());
        Assert.DoesNotContain(ivans[0].Id, seen);
        Assert.Equal(3, csv.Length);
    }

    private static int Compare(Lead a, Lead b, string key) => key switch
    {
        "created" => a.CreatedAt.CompareTo(b.CreatedAt),
        "updated" => a.UpdatedAt.CompareTo(b.UpdatedAt),
        "activity" => (a.LastActivityAt ?? a.CreatedAt).CompareTo(b.LastActivityAt ?? b.CreatedAt),
        _ => 0, // names: the database's collation decides; exactly-once is what matters here.
    };

    /// <summary>
    /// Leads with the tag, cloned from one made through the page (so owner and department are right),
    /// with repeated names and times and half without any activity: the keys tie often.
    /// </summary>
    private async Task<List<Lead>> SeedLeadsAsync(HttpClient client, string tag, int count)
    {
        var created = await PostAsync(client, "/leads/new", "/leads/new", Form(("Form.Name", "Образец " + tag), ("Form.Phone", ""), ("Form.Source", "Manual"), ("Form.Status", "New")));
        var first = Guid.Parse(created.Headers.Location!.OriginalString.Split('/').Last());
        return await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ClientsDbContext>();
            var template = await db.Leads.SingleAsync(l => l.Id == first);
            template.Tags = [tag];
            var start = new DateTimeOffset(2024, 6, 1, 9, 0, 0, TimeSpan.Zero);
            for (var i = 1; i < count; i++)
            {
                db.Leads.Add(new Lead
                {
                    Id = Guid.CreateVersion7(),
                    Name = $"Лид {i % 7}",
                    OwnerId = template.OwnerId,
                    OwnerDepartmentId = template.OwnerDepartmentId,
                    Tags = [tag],
                    CreatedAt = start.AddHours(i % 11),
                    UpdatedAt = start.AddHours(i % 5),
                    LastActivityAt = i % 2 == 0 ? null : start.AddHours(i % 13),
                });
            }

            await db.SaveChangesAsync();
            return await db.Leads.AsNoTracking().Where(l => l.Tags.Contains(tag) && l.OwnerId == template.OwnerId).ToListAsync();
        });
    }

    /// <summary>Follows "show more" (the htmx request, as the page does) until there is none.</summary>
    private static async Task<List<Guid>> PageThroughAsync(HttpClient client, string url)
    {
        var seen = new List<Guid>();
        var html = await client.GetStringAsync(url);
        for (var pages = 0; pages < 50; pages++)
        {
            seen.AddRange(RowIds(html, "leads"));
            var more = MoreLink().Match(html);
            if (!more.Success)
            {
                return seen;
            }

            Assert.DoesNotContain("offset", more.Groups[1].Value, StringComparison.OrdinalIgnoreCase);
            using var request = new HttpRequestMessage(HttpMethod.Get, WebUtility.HtmlDecode(more.Groups[1].Value));
            request.Headers.Add("HX-Request", "true");
            html = await (await client.SendAsync(request)).Content.ReadAsStringAsync();
        }

        throw new InvalidOperationException("More pages than rows.");
    }

    private static List<Guid> RowIds(string html, string path) =>
        Regex.Matches(html, $"<td class=\"[^\"]*\"><a href=\"/{path}/([0-9a-f-]{{36}})\">").Select(m => Guid.Parse(m.Groups[1].Value)).ToList();

    private static List<string> HeaderKeys(string html) => Regex.Matches(html, "data-column=\"([a-z:_-]+)\"").Select(m => m.Groups[1].Value).ToList();

    private static async Task<string[]> CsvAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task CreateCompanyAsync(HttpClient client, string name, string tag) =>
        await PostAsync(client, "/companies/new", "/companies/new", Form(("Form.Name", name), ("Form.Type", "Client"), ("Form.Tags", tag), ("Form.Kpp", "770701001")));

    /// <summary>Like <see cref="CrmApp.PostFormAsync"/>, with repeated names (the chooser's checked columns).</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string pageUrl, string postUrl, List<KeyValuePair<string, string>> fields)
    {
        var token = CrmApp.AntiforgeryToken(await client.GetStringAsync(pageUrl));
        return await client.PostAsync(postUrl, new FormUrlEncodedContent([.. fields, new("__RequestVerificationToken", token)]));
    }

    private static List<KeyValuePair<string, string>> Form(params (string Name, string Value)[] fields) =>
        fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();


    [GeneratedRegex("class=\"crm-more\">\\s*<td[^>]*>\\s*<a[^>]*href=\"([^\"]+)\"")]
    private static partial Regex MoreLink();
}
