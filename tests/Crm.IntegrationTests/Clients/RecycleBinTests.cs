using System.Net;
using Crm.Clients.Data;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Clients;

public sealed class RecycleBinTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task A_deleted_record_is_restored_by_whoever_may_edit_it_and_by_nobody_else()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var id = await CreateAndDeleteAsync(anna, "ООО «Восстановимая»");
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        Assert.Contains("ООО «Восстановимая»", await anna.GetStringAsync("/recycle-bin"), StringComparison.Ordinal);
        Assert.DoesNotContain("ООО «Восстановимая»", await ivan.GetStringAsync("/recycle-bin"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await CrmApp.PostFormAsync(ivan, "/recycle-bin", $"/recycle-bin/Company/{id}/restore", new Dictionary<string, string>())).StatusCode);

        var restored = await CrmApp.PostFormAsync(anna, "/recycle-bin", $"/recycle-bin/Company/{id}/restore", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, restored.StatusCode);
        var card = await anna.GetStringAsync($"/companies/{id}");
        Assert.Contains("Восстановлено из корзины", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_an_admin_deletes_for_good()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var id = await CreateAndDeleteAsync(anna, "ООО «Навсегда»");

        var byManager = await CrmApp.PostFormAsync(anna, "/recycle-bin", $"/recycle-bin/Company/{id}/purge", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, byManager.StatusCode);
        Assert.StartsWith("/account/denied", byManager.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.True(await ExistsAsync(id));

        var admin = await app.SignInAsync(CrmApp.Admin);
        var byAdmin = await CrmApp.PostFormAsync(admin, "/recycle-bin", $"/recycle-bin/Company/{id}/purge", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, byAdmin.StatusCode);
        Assert.False(await ExistsAsync(id));
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Timeline.AnyAsync(e => e.RecordId == id)));
    }

    private static async Task<Guid> CreateAndDeleteAsync(HttpClient client, string name)
    {
        var created = await CrmApp.PostFormAsync(client, "/companies/new", "/companies/new", new Dictionary<string, string> { ["Form.Name"] = name, ["Form.Type"] = "Client" });
        var url = created.Headers.Location!.OriginalString;
        await CrmApp.PostFormAsync(client, url, url + "/delete", new Dictionary<string, string>());
        return Guid.Parse(url.Split('/').Last());
    }

    private Task<bool> ExistsAsync(Guid id) =>
        app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Companies.AnyAsync(c => c.Id == id));
}
