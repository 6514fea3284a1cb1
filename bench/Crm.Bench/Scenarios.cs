using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Crm.Bench;

/// <summary>
/// A named HTTP scenario. <see cref="Prepare"/> runs once per worker (sign in, get a token) and returns
/// the worker's client; <see cref="Request"/> is the measured call and must end in the expected status.
/// </summary>
internal sealed record Scenario(
    string Name,
    Func<Task<HttpClient>> Prepare,
    Func<HttpClient, Task<HttpResponseMessage>> Request,
    HttpStatusCode Expected = HttpStatusCode.OK);

internal static partial class Scenarios
{
    public const string AdminEmail = "admin@crm.local";
    public const string Password = "Crm-demo-2026";

    /// <summary>Every module adds its scenarios here, next to its dataset in Datasets/.</summary>
    public static IEnumerable<Scenario> All(string baseUrl)
    {
        yield return new Scenario("sign-in page", () => Task.FromResult(Client(baseUrl)), c => c.GetAsync("/account/login"));
        yield return new Scenario("/health", () => Task.FromResult(Client(baseUrl)), c => c.GetAsync("/health"));
        yield return new Scenario("start page (signed in)", () => SignedInAsync(baseUrl), c => c.GetAsync("/"));
        yield return new Scenario("users list, first page (admin)", () => SignedInAsync(baseUrl), c => c.GetAsync("/admin/users"));
        yield return new Scenario("users list, filtered by name", () => SignedInAsync(baseUrl), c => c.GetAsync("/admin/users?q=%D0%B8%D0%B2%D0%B0%D0%BD"));
        yield return new Scenario("header search suggest (users)", () => SignedInAsync(baseUrl), c => c.GetAsync("/search/suggest?q=%D0%BF%D0%B5%D1%82"));
        yield return new Scenario("API GET /api/v1/me (token)", () => TokenClientAsync(baseUrl), c => c.GetAsync("/api/v1/me"));
    }

    private static HttpClient Client(string baseUrl) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer(), PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri(baseUrl),
        };

    private static async Task<HttpClient> SignedInAsync(string baseUrl)
    {
        var client = Client(baseUrl);
        var page = await client.GetStringAsync("/account/login");
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = AdminEmail,
            ["Input.Password"] = Password,
            ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException("Bench sign-in failed: " + response.StatusCode);
        }

        return client;
    }

    private static async Task<HttpClient> TokenClientAsync(string baseUrl)
    {
        var client = Client(baseUrl);
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = AdminEmail, password = Password, name = "bench" });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
