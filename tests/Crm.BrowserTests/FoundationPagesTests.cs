using System.Text.RegularExpressions;
using Crm.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

public sealed class FoundationPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public Task A_user_signs_in_and_moves_through_the_navigation() =>
        app.RunAsync(nameof(A_user_signs_in_and_moves_through_the_navigation), async page =>
        {
            await page.GotoAsync("/");
            await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
            await BrowserApp.KeepScreenshotAsync(page, "login-ru");

            await BrowserApp.SignInAsync(page, CrmApp.Admin);
            await Expect(page.Locator("h1")).ToContainTextAsync("Здравствуйте, Алексей Смирнов");
            await BrowserApp.KeepScreenshotAsync(page, "home-admin-ru");

            await page.Locator("#sidebar").GetByRole(AriaRole.Link, new() { Name = "Пользователи" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/admin/users$"));
            await Expect(page.Locator("table")).ToContainTextAsync("Анна Петрова");
            await BrowserApp.KeepScreenshotAsync(page, "users-ru");

            await page.Locator("#sidebar").GetByRole(AriaRole.Link, new() { Name = "Отделы" }).ClickAsync();
            await Expect(page.Locator("table")).ToContainTextAsync("Отдел продаж");
            await BrowserApp.KeepScreenshotAsync(page, "departments-ru");

            await page.Locator("#user-menu").ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Профиль" }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Профиль");
            await BrowserApp.KeepScreenshotAsync(page, "profile-ru");

            await page.Locator("#user-menu").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Выйти" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        });

    [Fact]
    public Task The_language_switch_changes_the_interface_and_the_profile() =>
        app.RunAsync(nameof(The_language_switch_changes_the_interface_and_the_profile), async page =>
        {
            await page.GotoAsync("/account/login");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Вход");
            await page.GetByRole(AriaRole.Button, new() { Name = "EN" }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
            await BrowserApp.KeepScreenshotAsync(page, "login-en");

            // Ivan's profile says Russian: after signing in the profile wins over the visitor's choice.
            await BrowserApp.SignInAsync(page, CrmApp.Ivan);
            await Expect(page.Locator("h1")).ToContainTextAsync("Здравствуйте");

            await page.Locator("header").GetByRole(AriaRole.Button, new() { Name = "EN" }).ClickAsync();
            await Expect(page.Locator("h1")).ToContainTextAsync("Hello, Иван Соколов");
            await BrowserApp.KeepScreenshotAsync(page, "home-manager-en");

            await page.GotoAsync("/profile");
            await Expect(page.Locator("#Profile_Culture")).ToHaveValueAsync("en");
        }, locale: "ru-RU");

    [Fact]
    public Task An_admin_creates_a_user_who_then_signs_in() =>
        app.RunAsync(nameof(An_admin_creates_a_user_who_then_signs_in), async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Admin);
            await page.GotoAsync("/admin/users");
            await page.GetByRole(AriaRole.Link, new() { Name = "Новый пользователь" }).First.ClickAsync();

            // First without a password: the form comes back with the message next to the field and keeps the input.
            await page.Locator("#Form_FullName").FillAsync("Светлана Морозова");
            await page.Locator("#Form_Email").FillAsync("svetlana@crm.local");
            await page.Locator("#Form_DepartmentId").SelectOptionAsync(new SelectOptionValue { Label = "— Отдел продаж" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Создать пользователя" }).ClickAsync();
            await Expect(page.Locator("#Form_Password").Locator("xpath=..").Locator(".field-validation-error")).ToHaveTextAsync("Задайте пользователю начальный пароль.");
            await Expect(page.Locator("#Form_FullName")).ToHaveValueAsync("Светлана Морозова");
            await BrowserApp.KeepScreenshotAsync(page, "user-form-errors-ru");

            await page.Locator("#Form_Password").FillAsync("svetlana's long password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Создать пользователя" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/admin/users$"));
            await Expect(page.Locator(".toast")).ToContainTextAsync("Пользователь Светлана Морозова создан.");
            await Expect(page.Locator("table")).ToContainTextAsync("svetlana@crm.local");

            await page.Context.ClearCookiesAsync();
            await page.GotoAsync("/account/login");
            await page.Locator("#Input_Email").FillAsync("svetlana@crm.local");
            await page.Locator("#Input_Password").FillAsync("svetlana's long password");
            await page.Locator("form[action='/account/login'] button[type=submit]").ClickAsync();
            await Expect(page.Locator("h1")).ToContainTextAsync("Светлана Морозова");
        });

    [Fact]
    public Task The_header_search_suggests_as_you_type_and_enter_opens_the_first_hit() =>
        app.RunAsync(nameof(The_header_search_suggests_as_you_type_and_enter_opens_the_first_hit), async page =>
        {
            await BrowserApp.SignInAsync(page, CrmApp.Admin);
            await page.Keyboard.PressAsync("/");
            await Expect(page.Locator("#global-search")).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync("anna@crm");
            await Expect(page.Locator("#search-suggestions .crm-suggestion").First).ToContainTextAsync("Анна Петрова");
            await BrowserApp.KeepScreenshotAsync(page, "search-suggestions");

            await page.Keyboard.PressAsync("Enter");
            await Expect(page).ToHaveURLAsync(new Regex("/admin/users/[0-9a-f-]+/edit$"));
            await Expect(page.Locator("#Form_Email")).ToHaveValueAsync(CrmApp.Anna);
        });

    [Fact]
    public Task On_a_375_px_screen_nothing_overflows_and_the_menu_opens_from_the_button() =>
        app.RunAsync(nameof(On_a_375_px_screen_nothing_overflows_and_the_menu_opens_from_the_button), async page =>
        {
            await page.GotoAsync("/account/login");
            await AssertNoHorizontalScrollAsync(page);
            await BrowserApp.KeepScreenshotAsync(page, "login-375");

            await BrowserApp.SignInAsync(page, CrmApp.Admin);
            await AssertNoHorizontalScrollAsync(page);
            await BrowserApp.KeepScreenshotAsync(page, "home-375");

            await Expect(page.Locator("#sidebar")).Not.ToBeInViewportAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Меню" }).ClickAsync();
            await page.Locator("#sidebar").GetByRole(AriaRole.Link, new() { Name = "Пользователи" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/admin/users$"));
            await AssertNoHorizontalScrollAsync(page);
            await BrowserApp.KeepScreenshotAsync(page, "users-375");

            foreach (var url in new[] { "/admin/users/new", "/admin/departments", "/profile" })
            {
                await page.GotoAsync(url);
                await AssertNoHorizontalScrollAsync(page);
                await BrowserApp.KeepScreenshotAsync(page, url.Trim('/').Replace('/', '-') + "-375");
            }
        }, width: 375, height: 740);

    private static async Task AssertNoHorizontalScrollAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{page.Url} is {overflow} px wider than the screen.");
    }
}
