using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Identity.Access;
using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Deals;

/// <summary>The deals list page: scope, filters, keyset pages, columns, bulk reassign, export.</summary>
public sealed partial class DealListTests(CrmApp app) : IClassFixture<CrmApp>
{
    private static string Token(string prefix) => prefix + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task A_manager_sees_only_their_own_deals()
    {
        var token = Token("Своё");
        var mine = await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => d.Title = token + " Анна");
        var his = await DealsData.CreateAsync(app, CrmApp.Ivan, configure: d => d.Title = token + " Иван");
        var anna = await app.SignInAsync(CrmApp.Anna);

        var html = await anna.GetStringAsync("/deals/list?q=" + Uri.EscapeDataString(token));

        Assert.Equal([mine.Id], RowIds(html));
        Assert.DoesNotContain(his.Title, html, StringComparison.Ordinal);
        var head = await app.SignInAsync(CrmApp.Head);
        Assert.Equal(2, RowIds(await head.GetStringAsync("/deals/list?q=" + Uri.EscapeDataString(token))).Count);
    }

    [Fact]
    public async Task The_stalled_owner_and_text_filters_narrow_the_list()
    {
        var token = Token("Фильтр");
        var stalled = await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => d.Title = token + " зависла");
        var fresh = await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => d.Title = token + " свежая");
        var ivans = await DealsData.CreateAsync(app, CrmApp.Ivan, configure: d => d.Title = token + " Ивана");
        // Initial interest allows 7 days: this one entered it 10 days ago.
        await app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().Deals.Where(d => d.Id == stalled.Id)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.StageEnteredAt, DateTimeOffset.UtcNow.AddDays(-10))));
        var head = await app.SignInAsync(CrmApp.Head);
        var ivan = await DealsData.UserAsync(app, CrmApp.Ivan);
        var q = Uri.EscapeDataString(token);

        var stalledOnly = await head.GetStringAsync($"/deals/list?q={q}&stalled=true");
        var byOwner = RowIds(await head.GetStringAsync($"/deals/list?q={q}&owner={ivan.Id}"));
        var byText = RowIds(await head.GetStringAsync("/deals/list?q=" + Uri.EscapeDataString(token + " свежая")));

        Assert.Equal([stalled.Id], RowIds(stalledOnly));
        Assert.Contains("crm-stalled", stalledOnly, StringComparison.Ordinal);
        Assert.Equal([ivans.Id], byOwner);
        Assert.Equal([fresh.Id], byText);
        Assert.Contains("crm-stage-badge", stalledOnly, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-created")]
    [InlineData("title")]
    [InlineData("-amount")]
    [InlineData("expectedClose")]
    public async Task Show_more_pages_by_keyset_and_returns_every_row_once_in_order(string sort)
    {
        var token = Token("Страница");
        var expected = new List<Deal>();
        for (var i = 0; i < 53; i++)
        {
            var n = i;
            expected.Add(await DealsData.CreateAsync(app, CrmApp.Anna, configure: d =>
            {
                d.Title = $"{token} {n % 7:D2}";
                d.Amount = (n % 5) * 1000;
                d.ExpectedClose = n % 3 == 0 ? null : new DateOnly(2026, 12, 1 + (n % 4));
            }));
        }

        var anna = await app.SignInAsync(CrmApp.Anna);
        var seen = new List<Guid>();
        var html = await anna.GetStringAsync($"/deals/list?q={Uri.EscapeDataString(token)}&sort={sort}");
        var pages = 1;
        while (true)
        {
            seen.AddRange(RowIds(html));
            var next = NextLink().Match(html);
            if (!next.Success)
            {
                break;
            }

            var request = new HttpRequestMessage(HttpMethod.Get, WebUtility.HtmlDecode(next.Groups[1].Value));
            request.Headers.Add("HX-Request", "true");
            var nextResponse = await anna.SendAsync(request);
            html = await nextResponse.Content.ReadAsStringAsync();
            Assert.True(nextResponse.StatusCode == HttpStatusCode.OK, $"{(int)nextResponse.StatusCode} {request.RequestUri} {html[..Math.Min(html.Length, 1500)]}");
            Assert.DoesNotContain("<html", html, StringComparison.Ordinal);
            pages++;
        }

        Assert.Equal(2, pages);
        IEnumerable<Deal> ordered = sort switch
        {
            "title" => expected.OrderBy(d => d.Title, StringComparer.Ordinal).ThenBy(d => d.Id),
            "-amount" => expected.OrderByDescending(d => d.Amount).ThenByDescending(d => d.Id),
            "expectedClose" => expected.OrderBy(d => d.ExpectedClose ?? DateOnly.MaxValue).ThenBy(d => d.Id),
            _ => expected.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id),
        };
        Assert.Equal(ordered.Select(d => d.Id), seen);
    }

    [Fact]
    public async Task The_chosen_columns_are_remembered_per_user_and_used_by_the_export()
    {
        var token = Token("Столбцы");
        await DealsData.CreateAsync(app, CrmApp.Head, configure: d => d.Title = token);
        var head = await app.SignInAsync(CrmApp.Head);

        var saved = await PostAsync(head, "/deals/list/columns", ("Columns", "owner"), ("Columns", "amount"), ("Columns", "daysInStage"), ("Move", "amount:up"), ("Return", "?q=x"));
        var html = await head.GetStringAsync("/deals/list?q=" + Uri.EscapeDataString(token));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/deals/list?q=x&chooser=1", saved.Headers.Location!.OriginalString);
        Assert.Equal(["title", "amount", "owner", "daysInStage"], HeaderKeys(html));
        var sheet = await SheetAsync(head, "/deals/list/export?q=" + Uri.EscapeDataString(token));
        Assert.Equal(2, RowCount(sheet));
        Assert.Contains(token, sheet, StringComparison.Ordinal);

        var ivan = await app.SignInAsync(CrmApp.Ivan);
        Assert.Equal(["title", "number", "client", "amount", "stage", "owner", "expectedClose"], HeaderKeys(await ivan.GetStringAsync("/deals/list")));

        await PostAsync(head, "/deals/list/columns", ("Move", "reset"));
        Assert.Equal(["title", "number", "client", "amount", "stage", "owner", "expectedClose"], HeaderKeys(await head.GetStringAsync("/deals/list")));
    }

    [Fact]
    public async Task A_head_reassigns_deals_in_bulk_and_each_deal_and_the_log_record_it()
    {
        var first = await DealsData.CreateAsync(app, CrmApp.Anna);
        var second = await DealsData.CreateAsync(app, CrmApp.Anna);
        var ivan = await DealsData.UserAsync(app, CrmApp.Ivan);
        var head = await app.SignInAsync(CrmApp.Head);

        var response = await PostAsync(head, "/deals/list/bulk", ("Ids", first.Id.ToString()), ("Ids", second.Id.ToString()), ("OwnerId", ivan.Id.ToString()));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        foreach (var id in new[] { first.Id, second.Id })
        {
            var deal = await DealsData.ReloadAsync(app, id);
            Assert.Equal(ivan.Id, deal.OwnerId);
            Assert.Equal(ivan.DepartmentId, deal.OwnerDepartmentId);
        }

        var (timeline, audit) = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<DealsDbContext>();
            return (await db.Timeline.CountAsync(t => (t.DealId == first.Id || t.DealId == second.Id) && t.Kind == "owner"),
                await db.AuditLog.Where(a => a.Action == "reassigned").OrderByDescending(a => a.At).FirstAsync());
        });
        Assert.Equal(2, timeline);
        Assert.Equal(2, audit.Count);
    }

    [Fact]
    public async Task A_manager_cannot_reassign_a_colleagues_deal_nor_give_their_own_to_a_colleague()
    {
        var his = await DealsData.CreateAsync(app, CrmApp.Ivan);
        var mine = await DealsData.CreateAsync(app, CrmApp.Anna);
        var annaUser = await DealsData.UserAsync(app, CrmApp.Anna);
        var ivanUser = await DealsData.UserAsync(app, CrmApp.Ivan);
        var anna = await app.SignInAsync(CrmApp.Anna);

        var grab = await PostAsync(anna, "/deals/list/bulk", ("Ids", his.Id.ToString()), ("OwnerId", annaUser.Id.ToString()));
        var give = await PostAsync(anna, "/deals/list/bulk", ("Ids", mine.Id.ToString()), ("OwnerId", ivanUser.Id.ToString()));

        Assert.Equal(HttpStatusCode.Redirect, grab.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, give.StatusCode);
        Assert.Equal(ivanUser.Id, (await DealsData.ReloadAsync(app, his.Id)).OwnerId);
        Assert.Equal(annaUser.Id, (await DealsData.ReloadAsync(app, mine.Id)).OwnerId);
    }

    [Fact]
    public async Task The_export_holds_the_filtered_rows_and_writes_an_audit_line()
    {
        var token = Token("Экспорт");
        await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => d.Title = token + " один");
        await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => d.Title = token + " два");
        await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => d.Title = "Другое " + token[..4]);
        var head = await app.SignInAsync(CrmApp.Head);

        var response = await head.GetAsync("/deals/list/export?q=" + Uri.EscapeDataString(token));
        var sheet = await ReadSheetAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(3, RowCount(sheet));
        Assert.Contains(token + " один", sheet, StringComparison.Ordinal);
        Assert.DoesNotContain("Другое", sheet, StringComparison.Ordinal);
        var line = await app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().AuditLog.AsNoTracking()
            .Where(a => a.Action == "export").OrderByDescending(a => a.At).FirstAsync());
        Assert.Equal(2, line.Count);
        Assert.Contains("q=" + token, line.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_is_forbidden_to_a_role_without_the_export_right()
    {
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<IdentityDbContext>();
            var manager = await db.Roles.SingleAsync(r => r.Name == BuiltInRoles.Manager);
            db.RoleScopes.Add(new RoleScope { RoleId = manager.Id, EntityKind = EntityKinds.Deal, Action = AccessAction.Export, Scope = AccessScope.None });
            await db.SaveChangesAsync();
            services.GetRequiredService<AccessRules>().ScopesChanged();
        });
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        var page = await ivan.GetAsync("/deals/list/export");
        var list = await ivan.GetStringAsync("/deals/list");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/denied", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.DoesNotContain("/deals/list/export", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_list_says_what_to_do_and_bad_filters_are_explained_not_a_500()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);

        var empty = await anna.GetAsync("/deals/list?q=" + Uri.EscapeDataString(Token("Ничего")));
        var bad = await anna.GetAsync("/deals/list?createdFrom=31.02&owner=nope&cursor=garbage&sort=nonsense");

        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("data-empty", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("invalid-feedback", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static List<Guid> RowIds(string html) => RowId().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();

    private static List<string> HeaderKeys(string html) => HeaderKey().Matches(html).Select(m => m.Groups[1].Value).ToList();

    private static int RowCount(string sheet) => Regex.Count(sheet, "<x:row |<row ");

    private static async Task<string> SheetAsync(HttpClient client, string url) => await ReadSheetAsync(await client.GetAsync(url));

    private static async Task<string> ReadSheetAsync(HttpResponseMessage response)
    {
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var parts = new List<string>();
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal) || e.FullName == "xl/sharedStrings.xml"))
        {
            using var reader = new StreamReader(entry.Open());
            parts.Add(await reader.ReadToEndAsync());
        }

        return string.Join("\n", parts);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, params (string Name, string Value)[] fields)
    {
        var page = await client.GetStringAsync("/deals/list");
        var form = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", CrmApp.AntiforgeryToken(page)) };
        form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    [GeneratedRegex("data-deal=\"([0-9a-f-]{36})\"")]
    private static partial Regex RowId();

    [GeneratedRegex("<th scope=\"col\"[^>]*data-column=\"([^\"]+)\"")]
    private static partial Regex HeaderKey();

    [GeneratedRegex("hx-get=\"(/deals/list[^\"]+)\"")]
    private static partial Regex NextLink();
}
