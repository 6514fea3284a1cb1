using System.Net;
using Crm.Testing;
using Xunit;

namespace Crm.IntegrationTests.Identity;

public sealed class SignInTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Anonymous_visitor_is_sent_to_the_sign_in_page()
    {
        var response = await app.CreateClient().GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Correct_password_signs_in_and_the_start_page_greets_the_user()
    {
        var client = app.CreateClient();

        var response = await app.TrySignInAsync(client, CrmApp.Anna);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("crm.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        var home = await client.GetStringAsync("/");
        Assert.Contains("Анна Петрова", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remember_me_makes_the_cookie_persistent_and_without_it_the_cookie_ends_with_the_browser()
    {
        var persistent = await app.TrySignInAsync(app.CreateClient(), CrmApp.Ivan, rememberMe: true);
        var session = await app.TrySignInAsync(app.CreateClient(), CrmApp.Ivan, rememberMe: false);

        Assert.Contains("expires=", AuthCookie(persistent), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires=", AuthCookie(session), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Wrong_password_shows_the_message_on_the_form_in_the_users_language()
    {
        var english = await app.TrySignInAsync(app.CreateClient("en"), CrmApp.Head, "wrong-password-1");
        var russian = await app.TrySignInAsync(app.CreateClient("ru"), CrmApp.Head, "wrong-password-1");

        Assert.Equal(HttpStatusCode.OK, english.StatusCode);
        Assert.Contains("Wrong e-mail or password.", await english.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Неверный e-mail или пароль.", await russian.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_form_keeps_the_input_and_shows_a_message_next_to_each_field()
    {
        var response = await app.TrySignInAsync(app.CreateClient(), "not-an-email", "");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("value=\"not-an-email\"", html, StringComparison.Ordinal);
        Assert.Contains("This is not a valid e-mail address.", html, StringComparison.Ordinal);
        Assert.Contains("Enter your password.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        var client = await app.SignInAsync(CrmApp.Ivan);

        var response = await CrmApp.PostFormAsync(client, "/", "/account/logout", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/profile")).StatusCode);
    }

    [Fact]
    public async Task Return_url_leads_back_but_never_to_another_site()
    {
        var client = app.CreateClient();
        var local = await CrmApp.PostFormAsync(client, "/account/login", "/account/login", new Dictionary<string, string>
        {
            ["Input.Email"] = CrmApp.Ivan, ["Input.Password"] = CrmApp.DemoPassword, ["Input.ReturnUrl"] = "/profile",
        });
        var other = await CrmApp.PostFormAsync(app.CreateClient(), "/account/login", "/account/login", new Dictionary<string, string>
        {
            ["Input.Email"] = CrmApp.Ivan, ["Input.Password"] = CrmApp.DemoPassword, ["Input.ReturnUrl"] = "https://evil.example/",
        });

        Assert.Equal("/profile", local.Headers.Location!.OriginalString);
        Assert.Equal("/", other.Headers.Location!.OriginalString);
    }

    private static string AuthCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("crm.auth=", StringComparison.Ordinal));
}
