using System.Net;
using System.Net.Http.Json;
using Crm.Testing;
using Xunit;

namespace Crm.IntegrationTests.Identity;

public sealed class LockoutTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_for_the_right_password()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await app.TrySignInAsync(app.CreateClient(), CrmApp.Ivan, "not-the-password");
        }

        var response = await app.TrySignInAsync(app.CreateClient(), CrmApp.Ivan);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Too many failed attempts. The account is locked for 5 minutes.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_passwords_at_the_api_count_toward_the_same_lockout()
    {
        var client = app.CreateClient();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await app.TrySignInAsync(app.CreateClient(), CrmApp.Anna, "not-the-password");
        }

        var fourth = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = CrmApp.Anna, password = "not-the-password" });
        var fifth = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = CrmApp.Anna, password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, fourth.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);

        var api = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = CrmApp.Anna, password = CrmApp.DemoPassword });
        var page = await app.TrySignInAsync(app.CreateClient(), CrmApp.Anna);

        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("locked", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_password_reset_lifts_the_lockout()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await app.TrySignInAsync(app.CreateClient(), CrmApp.Head, "not-the-password");
        }

        var admin = await app.SignInAsync(CrmApp.Admin);
        var headId = await UserIds.FindAsync(app, CrmApp.Head);
        var reset = await CrmApp.PostFormAsync(admin, $"/admin/users/{headId}/password", $"/admin/users/{headId}/password",
            new Dictionary<string, string> { ["Form.NewPassword"] = "a brand new passphrase" });

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await app.TrySignInAsync(app.CreateClient(), CrmApp.Head, "a brand new passphrase")).StatusCode);
    }
}
