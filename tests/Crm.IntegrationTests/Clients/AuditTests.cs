using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Clients.Audit;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Clients;

public sealed class AuditTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Exports_from_the_list_and_the_api_are_logged_with_format_count_and_filter()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        await CreateCompanyAsync(anna, "ООО «Экспортируемая Аудит»");

        var csv = await anna.GetAsync("/companies/export?format=csv&q=" + Uri.EscapeDataString("Экспортируемая Аудит"));
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        await csv.Content.ReadAsByteArrayAsync();
        var xlsx = await (await app.ApiClientAsync(CrmApp.Anna, "ru")).GetAsync("/api/v1/contacts/export?format=xlsx&tag=" + Uri.EscapeDataString("нет-такого"));
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);

        var lines = await LinesAsync(ClientAudit.Actions.Export);
        var page = lines.Single(l => l.Summary.Contains("q=Экспортируемая Аудит", StringComparison.Ordinal));
        Assert.Equal(ClientKind.Company, page.RecordKind);
        Assert.Equal(1, page.Count);
        Assert.StartsWith("csv;", page.Summary, StringComparison.Ordinal);
        Assert.Equal("Анна Петрова", page.UserName);
        var api = lines.Single(l => l.Summary.Contains("tag=нет-такого", StringComparison.Ordinal));
        Assert.Equal(ClientKind.Contact, api.RecordKind);
        Assert.Equal(0, api.Count);
        Assert.StartsWith("xlsx; api;", api.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bulk_action_is_logged_with_its_action_and_counts()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var ids = new[] { await CreateCompanyAsync(anna, "ООО «Массовая Один»"), await CreateCompanyAsync(anna, "ООО «Массовая Два»") };
        var page = await anna.GetStringAsync("/companies");
        var form = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", CrmApp.AntiforgeryToken(page)), new("Action", "tag"), new("Tag", "аудит-тег") };
        form.AddRange(ids.Select(id => new KeyValuePair<string, string>("Ids", id.ToString())));

        Assert.Equal(HttpStatusCode.Redirect, (await anna.PostAsync("/companies/bulk", new FormUrlEncodedContent(form))).StatusCode);

        var line = (await LinesAsync(ClientAudit.Actions.Bulk)).Single(l => l.Summary.Contains("аудит-тег", StringComparison.Ordinal));
        Assert.Equal(2, line.Count);
        Assert.Equal(ClientKind.Company, line.RecordKind);
        Assert.Contains("2 chosen, 2 changed", line.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restore_and_a_purge_are_logged_and_the_purge_keeps_the_name_of_what_is_gone()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var restored = await CreateCompanyAsync(anna, "ООО «Возвращённая»");
        var purged = await CreateCompanyAsync(anna, "ООО «Стёртая навсегда»");
        foreach (var id in new[] { restored, purged })
        {
            await CrmApp.PostFormAsync(anna, $"/companies/{id}", $"/companies/{id}/delete", new Dictionary<string, string>());
        }

        await CrmApp.PostFormAsync(anna, "/recycle-bin", $"/recycle-bin/Company/{restored}/restore", new Dictionary<string, string>());
        var admin = await app.SignInAsync(CrmApp.Admin);
        Assert.Equal(HttpStatusCode.Redirect, (await CrmApp.PostFormAsync(admin, "/recycle-bin", $"/recycle-bin/Company/{purged}/purge", new Dictionary<string, string>())).StatusCode);

        Assert.Contains(await LinesAsync(ClientAudit.Actions.Restore), l => l.RecordId == restored && l.UserName == "Анна Петрова");
        var purge = Assert.Single(await LinesAsync(ClientAudit.Actions.Purge), l => l.RecordId == purged);
        Assert.StartsWith("ООО «Стёртая навсегда»", purge.Summary, StringComparison.Ordinal);

        var log = await admin.GetStringAsync("/admin/audit?action=purge");
        Assert.Contains("ООО «Стёртая навсегда»", log, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/companies/{purged}\"", log, StringComparison.Ordinal);
        Assert.DoesNotContain("ООО «Возвращённая»", log, StringComparison.Ordinal);
        Assert.Contains($"href=\"/companies/{restored}\"", await admin.GetStringAsync("/admin/audit?action=restore"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_an_admin_opens_the_audit_log()
    {
        foreach (var email in new[] { CrmApp.Anna, CrmApp.Head })
        {
            var client = await app.SignInAsync(email);
            var response = await client.GetAsync("/admin/audit");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(response.Headers.Location)).StatusCode);
        }

        var admin = await app.SignInAsync(CrmApp.Admin);
        var page = await admin.GetAsync("/admin/audit");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Журнал действий", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_pages_by_keyset_and_filters_by_user()
    {
        var start = DateTimeOffset.UtcNow.AddYears(-1);
        var userId = Guid.CreateVersion7();
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ClientsDbContext>();
            for (var i = 0; i < 60; i++)
            {
                db.AuditLog.Add(new AuditEntry
                {
                    Id = Guid.CreateVersion7(), At = start.AddMinutes(i % 30), UserId = userId, UserName = "Импортёр",
                    Action = ClientAudit.Actions.Import, RecordKind = ClientKind.Lead, Count = i, Summary = $"файл-{i:00}.xlsx",
                });
            }

            await db.SaveChangesAsync();
        });
        var admin = await app.SignInAsync(CrmApp.Admin);

        var first = await admin.GetStringAsync($"/admin/audit?action=import&user={userId}");
        var next = System.Text.RegularExpressions.Regex.Match(first, "hx-get=\"(/admin/audit\\?[^\"]+)\"").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        using var more = new HttpRequestMessage(HttpMethod.Get, next);
        more.Headers.Add("HX-Request", "true");
        var second = await (await admin.SendAsync(more)).Content.ReadAsStringAsync();

        var shown = System.Text.RegularExpressions.Regex.Matches(first + second, "файл-[0-9]{2}\\.xlsx").Select(m => m.Value).ToList();
        Assert.Equal(60, shown.Count);
        Assert.Equal(60, shown.Distinct().Count());
        Assert.DoesNotContain("hx-get", second, StringComparison.Ordinal);
        Assert.DoesNotContain("файл-", await admin.GetStringAsync($"/admin/audit?action=import&user={Guid.CreateVersion7()}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_line_about_a_record_shows_on_its_cards_changes_tab()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var id = await CreateCompanyAsync(anna, "ООО «Импортированная»");
        await app.WithScopeAsync(async s =>
        {
            s.GetRequiredService<ClientAudit>().Record(ClientAudit.Actions.Import, ClientKind.Company, id, 1, "клиенты.xlsx: строка 7 обновила запись");
            await s.GetRequiredService<ClientsDbContext>().SaveChangesAsync();
        });

        Assert.Contains("клиенты.xlsx: строка 7 обновила запись", await anna.GetStringAsync($"/companies/{id}?show=changes"), StringComparison.Ordinal);
        Assert.DoesNotContain("клиенты.xlsx", await anna.GetStringAsync($"/companies/{id}?show=notes"), StringComparison.Ordinal);
    }

    private Task<List<AuditEntry>> LinesAsync(string action) =>
        app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().AuditLog.AsNoTracking().Where(a => a.Action == action).ToListAsync());

    private static async Task<Guid> CreateCompanyAsync(HttpClient client, string name)
    {
        var created = await CrmApp.PostFormAsync(client, "/companies/new", "/companies/new", new Dictionary<string, string>
        {
            ["Form.Name"] = name, ["Form.Type"] = "Client", ["Form.IgnoreDuplicates"] = "true",
        });
        return Guid.Parse(created.Headers.Location!.OriginalString.Split('/').Last());
    }
}
