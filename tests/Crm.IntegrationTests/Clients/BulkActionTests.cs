using System.Net;
using Crm.Clients.Data;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Clients;

public sealed class BulkActionTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task A_head_reassigns_selected_companies_and_each_card_records_the_change()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var first = await CreateAsync(anna, "ООО «Альбатрос»");
        var second = await CreateAsync(anna, "ЗАО «Кедровый бор»");
        var head = await app.SignInAsync(CrmApp.Head);
        var ivanId = await Identity.UserIds.FindAsync(app, CrmApp.Ivan);

        var response = await PostBulkAsync(head, [first, second], ("Action", "reassign"), ("OwnerId", ivanId.ToString()));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var ivan = await app.SignInAsync(CrmApp.Ivan);
        Assert.Equal(HttpStatusCode.OK, (await ivan.GetAsync($"/companies/{first}")).StatusCode);
        Assert.Contains("Анна Петрова → Иван Соколов", await ivan.GetStringAsync($"/companies/{second}"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/companies/{first}")).StatusCode);
    }

    [Fact]
    public async Task A_manager_cannot_reassign_to_a_colleague_nor_touch_a_colleagues_records_in_bulk()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var mine = await CreateAsync(anna, "ООО «Ландыш»");
        var ivan = await app.SignInAsync(CrmApp.Ivan);
        var his = await CreateAsync(ivan, "АО «Зенитстрой»");
        var ivanId = await Identity.UserIds.FindAsync(app, CrmApp.Ivan);

        await PostBulkAsync(anna, [mine], ("Action", "reassign"), ("OwnerId", ivanId.ToString()));
        var tagged = await PostBulkAsync(anna, [mine, his], ("Action", "tag"), ("Tag", "Выставка"));
        var deleted = await PostBulkAsync(anna, [his], ("Action", "delete"));

        Assert.Equal(HttpStatusCode.Redirect, tagged.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        var (mineAfter, hisAfter) = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ClientsDbContext>();
            return (await db.Companies.SingleAsync(c => c.Id == mine), await db.Companies.SingleAsync(c => c.Id == his));
        });
        Assert.NotEqual(ivanId, mineAfter.OwnerId);
        Assert.Contains("Выставка", mineAfter.Tags);
        Assert.DoesNotContain("Выставка", hisAfter.Tags);
        Assert.Null(hisAfter.DeletedAt);
    }

    [Fact]
    public async Task A_tag_is_added_to_everything_the_filter_matches_not_only_the_selected_rows()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var ids = new List<Guid>();
        foreach (var name in new[] { "ООО «Фильтр Один»", "АО «Второй По Фильтру»", "ЗАО «Третья Фильтровая»" })
        {
            ids.Add(await CreateAsync(anna, name));
        }

        var response = await PostBulkAsync(anna, [], ("Action", "tag"), ("Tag", "Фильтр-тег"), ("AllMatching", "true"), ("Q", "Фильтр"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var tagged = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Companies.CountAsync(c => ids.Contains(c.Id) && c.Tags.Contains("Фильтр-тег")));
        Assert.Equal(3, tagged);
    }

    private static async Task<Guid> CreateAsync(HttpClient client, string name)
    {
        var created = await CrmApp.PostFormAsync(client, "/companies/new", "/companies/new", new Dictionary<string, string> { ["Form.Name"] = name, ["Form.Type"] = "Client" });
        return Guid.Parse(created.Headers.Location!.OriginalString.Split('/').Last());
    }

    private static async Task<HttpResponseMessage> PostBulkAsync(HttpClient client, Guid[] ids, params (string Name, string Value)[] fields)
    {
        var page = await client.GetStringAsync("/companies");
        var form = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", CrmApp.AntiforgeryToken(page)) };
        form.AddRange(ids.Select(id => new KeyValuePair<string, string>("Ids", id.ToString())));
        form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await client.PostAsync("/companies/bulk", new FormUrlEncodedContent(form));
    }
}
