using System.Net;
using Crm.Tasks.Contracts;
using Crm.Tasks.Data;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Tasks;

/// <summary>The bell, the notifications list and marking read: only ever the user's own notifications.</summary>
public sealed class NotificationPagesTests(CrmApp app) : IClassFixture<CrmApp>
{
    private async Task<List<Guid>> NotifyAsync(string email, int count, string kind = "task.reminder", string? subject = null)
    {
        var user = await TasksData.UserAsync(app.Services, email);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var writes = Enumerable.Range(0, count)
            .Select(i => new NotificationWrite(user.Id, kind, subject ?? $"Subject {tag} {i:000}", "/tasks", $"test:{tag}:{i}"))
            .ToList();
        // One at a time, so created_at orders them as numbered.
        foreach (var write in writes)
        {
            await app.WithScopeAsync(services => services.GetRequiredService<INotifications>().NotifyAsync([write], CancellationToken.None));
        }

        return await app.WithScopeAsync(services => services.GetRequiredService<TasksDbContext>().Notifications.AsNoTracking()
            .Where(n => n.OnceKey.StartsWith("test:" + tag + ":")).OrderBy(n => n.CreatedAt).ThenBy(n => n.Id).Select(n => n.Id).ToListAsync());
    }

    private Task<DateTimeOffset?> ReadAtAsync(Guid id) =>
        app.WithScopeAsync(services => services.GetRequiredService<TasksDbContext>().Notifications.AsNoTracking().Where(n => n.Id == id).Select(n => n.ReadAt).SingleAsync());

    [Fact]
    public async Task The_bell_shows_the_unread_count_capped_at_99_plus()
    {
        await NotifyAsync(CrmApp.Head, 120);
        var client = await app.SignInAsync(CrmApp.Head);

        var page = await client.GetStringAsync("/");
        Assert.Contains("id=\"notification-bell\"", page, StringComparison.Ordinal);
        Assert.Contains("99+", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains("hx-trigger=\"every 60s\"", page, StringComparison.Ordinal);

        var badge = await client.GetStringAsync("/notifications/badge");
        Assert.Contains("data-unread=\"100\"", badge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_latest_ten_read_in_the_users_language_and_an_unknown_kind_shows_its_subject()
    {
        await NotifyAsync(CrmApp.Ivan, 12, subject: "Позвонить Ромашке");
        await NotifyAsync(CrmApp.Ivan, 1, kind: "removed.module.kind", subject: "Осталось от модуля");
        var client = await app.SignInAsync(CrmApp.Ivan, acceptLanguage: "ru");

        var latest = await client.GetStringAsync("/notifications/latest");

        Assert.Equal(10, CountOf(latest, "data-notification="));
        Assert.Contains("Осталось от модуля", latest, StringComparison.Ordinal);
        Assert.Contains("Напоминание: Позвонить Ромашке", latest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_pages_newest_first_by_keyset_without_gaps_or_repeats()
    {
        var ids = await NotifyAsync(CrmApp.Admin, 45);
        var client = await app.SignInAsync(CrmApp.Admin);

        var first = await client.GetStringAsync("/notifications");
        var after = System.Text.RegularExpressions.Regex.Match(first, "/notifications\\?after=([0-9a-f-]{36})").Groups[1].Value;
        Assert.NotEmpty(after);
        using var more = new HttpRequestMessage(HttpMethod.Get, "/notifications?after=" + after);
        more.Headers.Add("HX-Request", "true");
        var second = await (await client.SendAsync(more)).Content.ReadAsStringAsync();

        var shown = Ids(first).Concat(Ids(second)).Where(ids.Contains).ToList();
        Assert.Equal(ids.AsEnumerable().Reverse(), shown);
        Assert.DoesNotContain("<html", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opening_a_notification_marks_it_read_and_goes_to_its_link()
    {
        var id = (await NotifyAsync(CrmApp.Anna, 1))[0];
        var client = await app.SignInAsync(CrmApp.Anna);

        var response = await CrmApp.PostFormAsync(client, "/notifications", $"/notifications/{id}/read", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/tasks", response.Headers.Location?.OriginalString);
        Assert.NotNull(await ReadAtAsync(id));
    }

    [Fact]
    public async Task A_manager_cannot_mark_another_users_notification_read_by_id()
    {
        var annas = (await NotifyAsync(CrmApp.Anna, 1))[0];
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        var response = await CrmApp.PostFormAsync(ivan, "/notifications", $"/notifications/{annas}/read", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(await ReadAtAsync(annas));
        Assert.DoesNotContain(annas.ToString(), await ivan.GetStringAsync("/notifications"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mark_all_read_marks_only_the_users_own()
    {
        var annas = (await NotifyAsync(CrmApp.Anna, 1))[0];
        var ivans = await NotifyAsync(CrmApp.Ivan, 3);
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        var response = await CrmApp.PostFormAsync(ivan, "/notifications", "/notifications/read-all", new Dictionary<string, string> { ["returnUrl"] = "/notifications" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        foreach (var id in ivans)
        {
            Assert.NotNull(await ReadAtAsync(id));
        }

        Assert.Null(await ReadAtAsync(annas));
        Assert.Contains("data-unread=\"0\"", await ivan.GetStringAsync("/notifications/badge"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Marking_read_from_the_list_answers_the_row_read()
    {
        var id = (await NotifyAsync(CrmApp.Head, 1))[0];
        var client = await app.SignInAsync(CrmApp.Head);
        var page = await client.GetStringAsync("/notifications");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/notifications/{id}/read");
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("RequestVerificationToken", CrmApp.AntiforgeryToken(page));

        var response = await client.SendAsync(request);
        var row = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"id=\"notification-{id}\"", row, StringComparison.Ordinal);
        Assert.DoesNotContain("crm-unread", row, StringComparison.Ordinal);
        Assert.DoesNotContain("data-mark-read", row, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    private static IEnumerable<Guid> Ids(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "id=\"notification-([0-9a-f-]{36})\"").Select(m => Guid.Parse(m.Groups[1].Value));
}
