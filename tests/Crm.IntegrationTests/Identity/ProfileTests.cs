using System.Net;
using Crm.Testing;
using Xunit;

namespace Crm.IntegrationTests.Identity;

public sealed class ProfileTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Choosing_english_in_the_profile_switches_every_page_whatever_the_browser_says()
    {
        var ivan = await app.SignInAsync(CrmApp.Ivan, acceptLanguage: "ru");
        Assert.Contains("Профиль", await ivan.GetStringAsync("/profile"), StringComparison.Ordinal);

        var saved = await CrmApp.PostFormAsync(ivan, "/profile", "/profile", new Dictionary<string, string>
        {
            ["Profile.FullName"] = "Иван Соколов",
            ["Profile.Culture"] = "en",
            ["Profile.TimeZoneId"] = "Asia/Vladivostok",
        });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = await ivan.GetStringAsync("/profile");
        Assert.Contains("Name and preferences", page, StringComparison.Ordinal);
        Assert.Contains("Profile saved.", page, StringComparison.Ordinal);
        Assert.Matches("<option selected=\"selected\" value=\"Asia/Vladivostok\">", page);
    }

    [Fact]
    public async Task The_language_switch_works_before_signing_in()
    {
        var client = app.CreateClient(acceptLanguage: "ru");
        Assert.Contains("Вход", await client.GetStringAsync("/account/login"), StringComparison.Ordinal);

        await CrmApp.PostFormAsync(client, "/account/login", "/account/language", new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = "/account/login" });

        Assert.Contains("Sign in", await client.GetStringAsync("/account/login"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_time_zone_is_refused_next_to_the_field()
    {
        var head = await app.SignInAsync(CrmApp.Head);

        var response = await CrmApp.PostFormAsync(head, "/profile", "/profile", new Dictionary<string, string>
        {
            ["Profile.FullName"] = "Ольга Кузнецова",
            ["Profile.Culture"] = "en",
            ["Profile.TimeZoneId"] = "Mars/Olympus",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Выберите часовой пояс из списка.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_and_signs_out_other_sessions()
    {
        var laptop = await app.SignInAsync(CrmApp.Anna);
        var phone = await app.SignInAsync(CrmApp.Anna);

        var wrong = await CrmApp.PostFormAsync(laptop, "/profile", "/profile/password", new Dictionary<string, string>
        {
            ["Password.CurrentPassword"] = "not my password", ["Password.NewPassword"] = "another long passphrase",
        });
        Assert.Contains("Текущий пароль неверен.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var changed = await CrmApp.PostFormAsync(laptop, "/profile", "/profile/password", new Dictionary<string, string>
        {
            ["Password.CurrentPassword"] = CrmApp.DemoPassword, ["Password.NewPassword"] = "another long passphrase",
        });

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/profile")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/profile")).StatusCode);
    }
}
