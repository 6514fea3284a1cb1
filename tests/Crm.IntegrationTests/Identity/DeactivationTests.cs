using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Testing;
using Xunit;

namespace Crm.IntegrationTests.Identity;

public sealed class DeactivationTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Deactivated_user_is_signed_out_at_the_next_request_cannot_sign_in_and_loses_api_access()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var token = await IssueTokenAsync(CrmApp.Anna);
        Assert.Equal(HttpStatusCode.OK, (await anna.GetAsync("/profile")).StatusCode);

        var admin = await app.SignInAsync(CrmApp.Admin);
        var annaId = await UserIds.FindAsync(app, CrmApp.Anna);
        var deactivate = await CrmApp.PostFormAsync(admin, $"/admin/users/{annaId}/edit", $"/admin/users/{annaId}/deactivate", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, deactivate.StatusCode);

        var next = await anna.GetAsync("/profile");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/account/login", next.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var again = await app.TrySignInAsync(app.CreateClient(), CrmApp.Anna);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Wrong e-mail or password.", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email = CrmApp.Anna, password = CrmApp.DemoPassword })).StatusCode);

        var activate = await CrmApp.PostFormAsync(admin, $"/admin/users/{annaId}/edit", $"/admin/users/{annaId}/activate", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, activate.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await app.TrySignInAsync(app.CreateClient(), CrmApp.Anna)).StatusCode);
    }

    [Fact]
    public async Task An_admin_cannot_deactivate_themself()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var adminId = await UserIds.FindAsync(app, CrmApp.Admin);

        await CrmApp.PostFormAsync(admin, $"/admin/users/{adminId}/edit", $"/admin/users/{adminId}/deactivate", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);
    }

    private async Task<string> IssueTokenAsync(string email)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password = CrmApp.DemoPassword });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}
