using System.Text.RegularExpressions;
using Crm.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Crm.BrowserTests;

/// <summary>
/// The real app on Kestrel with a real port, its own seeded database, and Debian's Chromium driven by
/// Playwright (never a downloaded browser: see shared/spec/DEPENDENCIES.md).
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    public const string Password = CrmApp.DemoPassword;

    private static readonly string ArtifactsDirectory = Path.Combine(RepositoryRoot(), "tests", "Crm.BrowserTests", "artifacts");

    private CrmAppFactory? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The app's services, for test data made through the modules' own handlers (DealsData).</summary>
    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        // Jobs run here (imports): the pages are tested the way people see them, progress bar and all.
        _factory = new CrmAppFactory(await TestDatabases.CreateAsync("browser"), new Dictionary<string, string?> { ["Crm:Jobs:RunServer"] = "true" });
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // As root Chromium needs --no-sandbox; the rest keeps it from calling hosts this machine cannot reach.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(ArtifactsDirectory);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_factory is not null)
        {
            var connectionString = _factory.ConnectionString;
            await _factory.DisposeAsync();
            await TestDatabases.DropAsync(connectionString);
        }
    }

    /// <summary>
    /// Runs a test body in a fresh browser context. Errors in the browser console (a script blocked by
    /// the content security policy, a failed request) fail the test; on any failure a screenshot goes
    /// to tests/Crm.BrowserTests/artifacts/.
    /// </summary>
    public async Task RunAsync(string name, Func<IPage, Task> body, int width = 1280, int height = 900, string locale = "ru-RU")
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = locale,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };
        try
        {
            await body(page);
            Assert.True(consoleErrors.Count == 0, "Browser console errors:\n" + string.Join("\n", consoleErrors));
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, $"{name}-failure.png"), FullPage = true });
            throw;
        }
    }

    /// <summary>A screenshot kept for people to look at the pages (artifacts/screens, git-ignored).</summary>
    public static async Task KeepScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Path.Combine(ArtifactsDirectory, "screens"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, "screens", name + ".png"), FullPage = true });
    }

    public static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("#Input_Email").FillAsync(email);
        await page.Locator("#Input_Password").FillAsync(Password);
        await page.Locator("form[action='/account/login'] button[type=submit]").ClickAsync();
        // Wait for the redirect to commit and the page to show, not for the "load" event: on a loaded
        // machine Playwright was seen missing that event for a page already shown (a 30 s timeout in CI).
        await page.WaitForURLAsync(new Regex("/$"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await Microsoft.Playwright.Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Crm.sln")))
            {
                return directory.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
