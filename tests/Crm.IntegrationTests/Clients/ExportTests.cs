using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Crm.Identity.Access;
using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Clients;

public sealed class ExportTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Csv_export_holds_the_visible_rows_and_defuses_formulas()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", new Dictionary<string, string>
        {
            ["Form.Name"] = "=HYPERLINK(\"http://evil\";\"click\")", ["Form.Type"] = "Client", ["Form.Industry"] = "@SUM(A1)",
        });

        var response = await anna.GetAsync("/companies/export?format=csv&q=" + Uri.EscapeDataString("HYPERLINK"));
        var csv = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Название;ИНН;", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("\"'=HYPERLINK(\"\"http://evil\"\";\"\"click\"\")\"", lines[1], StringComparison.Ordinal);
        Assert.Contains(";'@SUM(A1);", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Xlsx_export_writes_strings_only_and_stays_within_the_scope()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var response = await anna.GetAsync("/contacts/export?format=xlsx");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var sheet = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal));
        using var reader = new StreamReader(sheet.Open());
        var xml = await reader.ReadToEndAsync();
        Assert.DoesNotContain("<x:f>", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<f>", xml, StringComparison.Ordinal);

        var rows = System.Text.RegularExpressions.Regex.Count(xml, "<x:row |<row ");
        var annaContacts = await app.WithScopeAsync(async s =>
        {
            var annaId = await s.GetRequiredService<IdentityDbContext>().Users.Where(u => u.Email == CrmApp.Anna).Select(u => u.Id).SingleAsync();
            return await s.GetRequiredService<Crm.Clients.Data.ClientsDbContext>().Contacts.CountAsync(c => c.OwnerId == annaId && c.DeletedAt == null);
        });
        Assert.Equal(annaContacts + 1, rows);
    }

    [Fact]
    public async Task A_role_without_the_export_right_gets_403_on_the_page_and_the_api()
    {
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<IdentityDbContext>();
            var manager = await db.Roles.SingleAsync(r => r.Name == BuiltInRoles.Manager);
            db.RoleScopes.Add(new RoleScope { RoleId = manager.Id, EntityKind = EntityKinds.Lead, Action = AccessAction.Export, Scope = AccessScope.None });
            await db.SaveChangesAsync();
            services.GetRequiredService<AccessRules>().ScopesChanged();
        });
        var ivan = await app.SignInAsync(CrmApp.Ivan);
        var page = await ivan.GetAsync("/leads/export?format=csv");

        var token = await (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email = CrmApp.Ivan, password = CrmApp.DemoPassword })).Content.ReadFromJsonAsync<JsonElement>();
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("token").GetString());
        var apiResponse = await api.GetAsync("/api/v1/leads/export?format=csv");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/denied", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, apiResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/contacts/export?format=csv")).StatusCode);
    }
}
