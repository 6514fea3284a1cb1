using System.Net.Http.Json;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.Testing;

/// <summary>
/// A class fixture: the app on its own copy of the seeded database. Helpers sign in through the real
/// sign-in form and post forms with their antiforgery token, as a browser would.
/// </summary>
public class CrmApp : IAsyncLifetime
{
    public const string DemoPassword = "Crm-demo-2026";
    public const string Admin = "admin@crm.local";
    public const string Head = "head@crm.local";
    public const string Anna = "anna@crm.local";
    public const string Ivan = "ivan@crm.local";

    private CrmAppFactory? _factory;

    public CrmAppFactory Factory => _factory ?? throw new InvalidOperationException("The fixture is not initialized.");

    public IServiceProvider Services => Factory.Services;

    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Services a fixture adds to the app (a test module's card panel, say).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        var connectionString = await TestDatabases.CreateAsync(GetType().Name);
        _factory = new CrmAppFactory(connectionString, Settings, ConfigureServices);
        _ = _factory.Services;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            var connectionString = _factory.ConnectionString;
            await _factory.DisposeAsync();
            await TestDatabases.DropAsync(connectionString);
        }
    }

    /// <summary>A client that keeps cookies and does not follow redirects, so tests see each 302.</summary>
    public HttpClient CreateClient(string? acceptLanguage = "en")
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (acceptLanguage is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(acceptLanguage));
        }

        return client;
    }

    public async Task<HttpResponseMessage> TrySignInAsync(HttpClient client, string email, string password = DemoPassword, bool rememberMe = false) =>
        await PostFormAsync(client, "/account/login", "/account/login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.RememberMe"] = rememberMe ? "true" : "false",
        });

    public async Task<HttpClient> SignInAsync(string email, string password = DemoPassword, string acceptLanguage = "en")
    {
        var client = CreateClient(acceptLanguage);
        var response = await TrySignInAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in of {email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return client;
    }

    /// <summary>A client of the API with a bearer token of the user (the API takes no cookie).</summary>
    public async Task<HttpClient> ApiClientAsync(string email, string acceptLanguage = "en")
    {
        var response = await CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password = DemoPassword });
        var token = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString();
        var client = CreateClient(acceptLanguage);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Loads <paramref name="pageUrl"/> for its antiforgery token, then posts the form to <paramref name="postUrl"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pageUrl, string postUrl, IDictionary<string, string> fields)
    {
        var page = await client.GetAsync(pageUrl);
        var html = await page.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = AntiforgeryToken(html) };
        return await client.PostAsync(postUrl, new FormUrlEncodedContent(form));
    }

    public static string AntiforgeryToken(string html)
    {
        var match = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        if (!match.Success)
        {
            throw new InvalidOperationException("No antiforgery token on the page:\n" + html[..Math.Min(html.Length, 2000)]);
        }

        return match.Groups[1].Value;
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public async Task WithScopeAsync(Func<IServiceProvider, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }
}
