using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Testing;
using Xunit;

namespace Crm.IntegrationTests.Host;

public sealed class HostTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Health_answers_200_with_the_database_check()
    {
        var response = await app.CreateClient().GetAsync("/health");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/account/logout")]
    [InlineData("/profile")]
    [InlineData("/profile/tokens")]
    public async Task A_form_post_without_the_antiforgery_token_is_rejected(string url)
    {
        var client = await app.SignInAsync(CrmApp.Ivan);

        var response = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["Token.Name"] = "x", ["Profile.FullName"] = "Hacker" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/profile")).StatusCode);
        Assert.DoesNotContain("Hacker", await client.GetStringAsync("/profile"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_carry_the_security_headers_and_no_inline_script()
    {
        var client = await app.SignInAsync(CrmApp.Admin);
        foreach (var url in new[] { "/", "/admin/users", "/admin/departments", "/profile", "/search?q=an" })
        {
            var response = await client.GetAsync(url);
            var html = await response.Content.ReadAsStringAsync();
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.DoesNotMatch(new Regex("<script(?![^>]*\\bsrc=)[^>]*>"), html);
            Assert.DoesNotMatch(new Regex("\\son[a-z]+=\""), html);
        }
    }

    [Fact]
    public async Task Unknown_pages_show_a_localized_not_found_page()
    {
        var client = await app.SignInAsync(CrmApp.Ivan, acceptLanguage: "ru");

        var response = await client.GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Страница не найдена", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_jobs_dashboard_is_for_admins_only()
    {
        Assert.Equal(HttpStatusCode.OK, (await (await app.SignInAsync(CrmApp.Admin)).GetAsync("/admin/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.SignInAsync(CrmApp.Head)).GetAsync("/admin/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/admin/jobs")).StatusCode);
    }

    [Fact]
    public async Task Navigation_shows_admin_entries_to_admins_only()
    {
        var admin = await (await app.SignInAsync(CrmApp.Admin)).GetStringAsync("/");
        var manager = await (await app.SignInAsync(CrmApp.Anna)).GetStringAsync("/");

        Assert.Contains("href=\"/admin/users\"", admin, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/admin/users\"", manager, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_search_box_finds_users_for_admins_and_nothing_of_them_for_managers()
    {
        var admin = await (await app.SignInAsync(CrmApp.Admin)).GetStringAsync("/search/suggest?q=" + Uri.EscapeDataString("Петр"));
        var manager = await (await app.SignInAsync(CrmApp.Anna)).GetStringAsync("/search/suggest?q=" + Uri.EscapeDataString("Петр"));

        Assert.Contains("Анна Петрова", admin, StringComparison.Ordinal);
        Assert.DoesNotContain("Анна Петрова", manager, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_start_page_shows_the_scope_of_the_users_role()
    {
        var head = await (await app.SignInAsync(CrmApp.Head)).GetStringAsync("/");
        var manager = await (await app.SignInAsync(CrmApp.Anna)).GetStringAsync("/");

        Assert.Contains("crm-scope-department", head, StringComparison.Ordinal);
        Assert.DoesNotContain("crm-scope-own", head, StringComparison.Ordinal);
        Assert.Contains("crm-scope-own", manager, StringComparison.Ordinal);
    }
}
