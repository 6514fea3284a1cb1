using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Crm.Clients.Data;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Clients;

public sealed class NoteAndSelectionTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task A_long_note_is_kept_whole_and_its_mentions_are_marked()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var company = await FirstAsync(anna, "companies");
        var note = "Звонил директор, просит перезвонить.\n@Иван Соколов, возьми поставку; @head в курсе.\n" + new string('x', 900);

        var response = await CrmApp.PostFormAsync(anna, $"/companies/{company}", $"/companies/{company}/notes", new Dictionary<string, string> { ["Note.Text"] = note });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var card = WebUtility.HtmlDecode(await anna.GetStringAsync($"/companies/{company}"));
        Assert.Contains("<span class=\"crm-mention\">@Иван Соколов</span>", card, StringComparison.Ordinal);
        Assert.Contains("<span class=\"crm-mention\">@head</span>", card, StringComparison.Ordinal);
        var stored = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Timeline.Where(e => e.RecordId == Guid.Parse(company) && e.Kind == "note")
            .OrderByDescending(e => e.CreatedAt).FirstAsync());
        Assert.Equal(note, stored.Text);
        Assert.Equal("Звонил директор, просит перезвонить.", stored.Subject);
    }

    [Fact]
    public async Task The_selected_rows_export_as_a_workbook_and_only_those_the_user_may_see()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var list = await anna.GetStringAsync("/companies");
        var mine = Regex.Matches(list, "href=\"/companies/([0-9a-f-]{36})\">([^<]+)<").Take(2).Select(m => (Id: m.Groups[1].Value, Name: m.Groups[2].Value)).ToList();
        var ivan = await app.SignInAsync(CrmApp.Ivan);
        var ivans = await FirstAsync(ivan, "companies");

        var form = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", CrmApp.AntiforgeryToken(list)), new("Action", "export"),
            new("Ids", mine[0].Id), new("Ids", mine[1].Id), new("Ids", ivans),
        };
        var response = await anna.PostAsync("/companies/bulk", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        using var reader = new StreamReader(zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)).Open());
        var sheet = WebUtility.HtmlDecode(await reader.ReadToEndAsync());
        Assert.Equal(3, Regex.Count(sheet, "<x:row |<row "));
        Assert.Contains(WebUtility.HtmlDecode(mine[0].Name), sheet, StringComparison.Ordinal);
    }

    private static async Task<string> FirstAsync(HttpClient client, string path) =>
        Regex.Match(await client.GetStringAsync("/" + path), $"href=\"/{path}/([0-9a-f-]{{36}})\"").Groups[1].Value;
}
