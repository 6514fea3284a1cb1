using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Crm.Identity.Data;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Identity;

public sealed class ApiTokenTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task A_token_issued_for_the_password_reads_the_user_department_and_roles()
    {
        var token = await IssueAsync(CrmApp.Head, "integration");

        var me = await Authorized(token).GetFromJsonAsync<JsonElement>("/api/v1/me");

        Assert.Equal(CrmApp.Head, me.GetProperty("email").GetString());
        Assert.Equal("Ольга Кузнецова", me.GetProperty("fullName").GetString());
        Assert.Equal("Отдел продаж", me.GetProperty("department").GetProperty("name").GetString());
        Assert.Equal("SalesHead", Assert.Single(me.GetProperty("roles").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Only_the_hash_of_the_token_is_stored()
    {
        var token = await IssueAsync(CrmApp.Ivan, "hash check");

        var stored = await app.WithScopeAsync(services => services.GetRequiredService<IdentityDbContext>().ApiTokens
            .Where(t => t.Name == "hash check").Select(t => t.TokenHash).SingleAsync());

        Assert.StartsWith("crm_", token, StringComparison.Ordinal);
        Assert.DoesNotContain(token, stored, StringComparison.Ordinal);
        Assert.Equal(64, stored.Length);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_with_problem_details()
    {
        var token = await IssueAsync(CrmApp.Ivan, "to revoke");
        var client = Authorized(token);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/auth/token")).StatusCode);
        var after = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("application/problem+json", after.Content.Headers.ContentType!.MediaType);
        Assert.Equal(401, (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Tokens_are_created_and_revoked_from_the_profile_page_and_shown_only_once()
    {
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        var created = await CrmApp.PostFormAsync(ivan, "/profile", "/profile/tokens", new Dictionary<string, string> { ["Token.Name"] = "1C exchange" });
        var html = await created.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "id=\"new-token\"[^>]*>(crm_[^<]+)<").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await Authorized(token).GetAsync("/api/v1/me")).StatusCode);
        Assert.DoesNotContain(token, await ivan.GetStringAsync("/profile"), StringComparison.Ordinal);

        var tokenId = await app.WithScopeAsync(services => services.GetRequiredService<IdentityDbContext>().ApiTokens
            .Where(t => t.Name == "1C exchange").Select(t => t.Id).SingleAsync());
        var revoked = await CrmApp.PostFormAsync(ivan, "/profile", $"/profile/tokens/{tokenId}/revoke", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Authorized(token).GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Nobody_can_revoke_another_users_token_by_its_id()
    {
        await IssueAsync(CrmApp.Head, "head's own");
        var tokenId = await app.WithScopeAsync(services => services.GetRequiredService<IdentityDbContext>().ApiTokens
            .Where(t => t.Name == "head's own").Select(t => t.Id).SingleAsync());
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        var response = await CrmApp.PostFormAsync(ivan, "/profile", $"/profile/tokens/{tokenId}/revoke", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var revokedAt = await app.WithScopeAsync(services => services.GetRequiredService<IdentityDbContext>().ApiTokens
            .Where(t => t.Id == tokenId).Select(t => t.RevokedAt).SingleAsync());
        Assert.Null(revokedAt);
    }

    [Fact]
    public async Task The_api_does_not_accept_the_sign_in_cookie()
    {
        var signedIn = await app.SignInAsync(CrmApp.Admin);

        var response = await signedIn.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("{\"email\":\"\",\"password\":\"\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"email\":\"admin@crm.local\",\"password\":\"nope-nope-nope\"}", HttpStatusCode.Unauthorized)]
    [InlineData("{\"email\":\"nobody@crm.local\",\"password\":\"nope-nope-nope\"}", HttpStatusCode.Unauthorized)]
    [InlineData("{not json", HttpStatusCode.BadRequest)]
    public async Task Bad_token_requests_answer_problem_details(string body, HttpStatusCode expected)
    {
        var response = await app.CreateClient().PostAsync("/api/v1/auth/token", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_api_routes_answer_problem_details_not_html()
    {
        var response = await Authorized(await IssueAsync(CrmApp.Ivan, "404")).GetAsync("/api/v1/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    private async Task<string> IssueAsync(string email, string name)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password = CrmApp.DemoPassword, name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private HttpClient Authorized(string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
