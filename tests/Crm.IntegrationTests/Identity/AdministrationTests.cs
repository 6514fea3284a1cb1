using System.Net;
using Crm.Testing;
using Xunit;

namespace Crm.IntegrationTests.Identity;

public sealed class AdministrationTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Theory]
    [InlineData("/admin/users")]
    [InlineData("/admin/users/new")]
    [InlineData("/admin/departments")]
    public async Task Managers_and_heads_cannot_open_the_admin_pages(string url)
    {
        foreach (var email in new[] { CrmApp.Anna, CrmApp.Head })
        {
            var response = await (await app.SignInAsync(email)).GetAsync(url);

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_manager_cannot_change_a_user_by_posting_to_the_admin_route()
    {
        var ivan = await app.SignInAsync(CrmApp.Ivan);
        var annaId = await UserIds.FindAsync(app, CrmApp.Anna);

        var response = await CrmApp.PostFormAsync(ivan, "/profile", $"/admin/users/{annaId}/deactivate", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await app.TrySignInAsync(app.CreateClient(), CrmApp.Anna)).StatusCode);
    }

    [Fact]
    public async Task Admin_creates_a_user_who_can_then_sign_in()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var form = await NewUserFormAsync(admin, "Пётр Васильев", "petr@crm.local", "a long enough password");

        var response = await CrmApp.PostFormAsync(admin, "/admin/users/new", "/admin/users/new", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Пётр Васильев", await admin.GetStringAsync("/admin/users?q=%D0%9F%D1%91%D1%82%D1%80"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await app.TrySignInAsync(app.CreateClient(), "petr@crm.local", "a long enough password")).StatusCode);
    }

    [Fact]
    public async Task Invalid_user_form_comes_back_with_messages_next_to_the_fields_in_russian()
    {
        var admin = await app.SignInAsync(CrmApp.Admin, acceptLanguage: "ru");
        var form = await NewUserFormAsync(admin, "", CrmApp.Anna, "short");

        var response = await CrmApp.PostFormAsync(admin, "/admin/users/new", "/admin/users/new", form);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Введите имя и фамилию.", html, StringComparison.Ordinal);
        Assert.Contains("Пользователь с e-mail anna@crm.local уже есть.", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{CrmApp.Anna}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_short_password_is_refused_with_the_reason()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var form = await NewUserFormAsync(admin, "Short Password", "short@crm.local", "123456789");

        var html = await (await CrmApp.PostFormAsync(admin, "/admin/users/new", "/admin/users/new", form)).Content.ReadAsStringAsync();

        Assert.Contains("Пароль должен быть не короче 10 символов.", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.TrySignInAsync(app.CreateClient(), "short@crm.local", "123456789")).StatusCode);
    }

    [Fact]
    public async Task A_role_change_applies_at_the_users_next_request_without_signing_in_again()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var form = await NewUserFormAsync(admin, "Мария Орлова", "maria@crm.local", "a long enough password");
        await CrmApp.PostFormAsync(admin, "/admin/users/new", "/admin/users/new", form);
        var maria = await app.SignInAsync("maria@crm.local", "a long enough password");
        Assert.Equal(HttpStatusCode.Redirect, (await maria.GetAsync("/admin/users")).StatusCode);

        var mariaId = await UserIds.FindAsync(app, "maria@crm.local");
        form["Form.Role"] = "Admin";
        form.Remove("Form.Password");
        var saved = await CrmApp.PostFormAsync(admin, $"/admin/users/{mariaId}/edit", $"/admin/users/{mariaId}/edit", form);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await maria.GetAsync("/admin/users")).StatusCode);
    }

    [Fact]
    public async Task The_users_list_pages_by_keyset_with_show_more()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        await app.WithScopeAsync(async services =>
        {
            var users = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Crm.Identity.Domain.CrmUser>>(services);
            var department = (await users.FindByEmailAsync(CrmApp.Anna))!.DepartmentId;
            for (var i = 0; i < 60; i++)
            {
                var email = $"bulk{i:00}@crm.local";
                await users.CreateAsync(new Crm.Identity.Domain.CrmUser { Id = Guid.CreateVersion7(), UserName = email, Email = email, FullName = $"Bulk User {i:00}", DepartmentId = department });
            }
        });

        var first = await admin.GetStringAsync("/admin/users");
        var more = System.Text.RegularExpressions.Regex.Match(first, "hx-get=\"([^\"]+after=[^\"]+)\"").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        var request = new HttpRequestMessage(HttpMethod.Get, more);
        request.Headers.Add("HX-Request", "true");
        var second = await (await admin.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("Bulk User 00", first, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", second, StringComparison.Ordinal);
        var firstNames = System.Text.RegularExpressions.Regex.Matches(first, "Bulk User \\d\\d").Select(m => m.Value).ToHashSet();
        var secondNames = System.Text.RegularExpressions.Regex.Matches(second, "Bulk User \\d\\d").Select(m => m.Value).ToHashSet();
        Assert.Empty(firstNames.Intersect(secondNames));
        Assert.Equal(60, firstNames.Count + secondNames.Count);
    }

    private static async Task<Dictionary<string, string>> NewUserFormAsync(HttpClient admin, string name, string email, string password)
    {
        var page = await admin.GetStringAsync("/admin/users/new");
        var department = System.Text.RegularExpressions.Regex.Match(page, "<option[^>]*value=\"([0-9a-f-]{36})\"[^>]*>[^<]*Отдел продаж").Groups[1].Value;
        return new Dictionary<string, string>
        {
            ["Form.FullName"] = name,
            ["Form.Email"] = email,
            ["Form.DepartmentId"] = department,
            ["Form.Role"] = "Manager",
            ["Form.Culture"] = "ru",
            ["Form.TimeZoneId"] = "Europe/Moscow",
            ["Form.Password"] = password,
        };
    }
}
