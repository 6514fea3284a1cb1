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

public sealed class DuplicateWarningTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task A_company_with_an_existing_inn_is_held_back_with_the_candidate_until_the_user_saves_anyway()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var first = await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", Company("ООО «Оригинал»", "7707083893", "+7 495 333-22-11"));
        var originalUrl = first.Headers.Location!.OriginalString;

        var second = await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", Company("АО «Совсем другое имя»", "7707083893", ""));
        var html = await second.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("Похоже, такая запись уже есть.", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{originalUrl}\"", html, StringComparison.Ordinal);
        Assert.Contains("тот же ИНН", html, StringComparison.Ordinal);

        var form = Company("АО «Совсем другое имя»", "7707083893", "");
        form["Form.IgnoreDuplicates"] = "true";
        var anyway = await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", form);
        Assert.Equal(HttpStatusCode.Redirect, anyway.StatusCode);
    }

    [Fact]
    public async Task A_duplicate_owned_by_a_colleague_is_counted_but_not_shown()
    {
        var ivan = await app.SignInAsync(CrmApp.Ivan);
        await CrmApp.PostFormAsync(ivan, "/companies/new", "/companies/new", Company("ООО «Секрет Ивана»", "", "+7 495 999-88-77"));
        var anna = await app.SignInAsync(CrmApp.Anna);

        var html = await (await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", Company("ООО «Другая»", "", "8 495 999 88 77"))).Content.ReadAsStringAsync();

        Assert.Contains("Совпадает также с записями коллег, которые вам недоступны (1)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Секрет Ивана", html, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Company(string name, string inn, string phones) => new()
    {
        ["Form.Name"] = name, ["Form.Inn"] = inn, ["Form.Phones"] = phones, ["Form.Type"] = "Client",
    };
}
