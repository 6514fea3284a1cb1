using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Crm.Testing;
using Ical.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Tasks;

/// <summary>The private iCalendar feed: its content read back with Ical.Net, making a new link and revoking, whose tasks it shows, the page's sign-in.</summary>
public sealed partial class CalendarFeedTests(CrmApp app) : IClassFixture<CrmApp>
{
    [GeneratedRegex("id=\"feed-url\"[^>]*>([^<]+)<")]
    private static partial Regex FeedUrl();

    /// <summary>Makes (or makes anew) the user's feed on the page and gives its path, as the page shows it once.</summary>
    private static async Task<string> MakeFeedAsync(HttpClient client)
    {
        var response = await CrmApp.PostFormAsync(client, "/tasks/feed", "/tasks/feed", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = FeedUrl().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value.Trim();
        Assert.Matches("^http://localhost/calendar/[A-Za-z0-9_-]{43}\\.ics$", url);
        return new Uri(url).PathAndQuery;
    }

    [Fact]
    public async Task The_feed_serves_the_users_open_tasks_with_times_in_utc_all_day_dates_and_reminders()
    {
        var api = await app.ApiClientAsync(CrmApp.Anna);
        var meetingAt = DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-dd'T'11:00:00+03:00");
        var dayAt = DateTimeOffset.UtcNow.AddDays(4).ToString("yyyy-MM-dd'T'00:00:00+03:00");
        var meeting = await (await api.PostAsJsonAsync("/api/v1/tasks", new { title = "Встреча с Ромашкой", kind = "meeting", dueAt = meetingAt, durationMinutes = 90, reminderMinutes = 15, description = "Обсудить поставку" })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var allDay = await (await api.PostAsJsonAsync("/api/v1/tasks", new { title = "Подготовить отчёт", kind = "todo", dueAt = dayAt, allDay = true })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var done = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = "Сделанная" });
        await TasksData.CompleteAsync(app.Services, CrmApp.Anna, done.Id, "Готово");
        var farAhead = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = "Через год", DueAt = DateTimeOffset.UtcNow.AddDays(365) });
        var longAgo = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = "Давно", DueAt = DateTimeOffset.UtcNow.AddDays(-60) });
        var ivans = await TasksData.CreateAsync(app, CrmApp.Ivan, new TaskInput { Title = "Задача Ивана" });
        var anna = await app.SignInAsync(CrmApp.Anna);
        var feed = await MakeFeedAsync(anna);

        var response = await app.CreateClient(acceptLanguage: null).GetAsync(feed);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        var text = await response.Content.ReadAsStringAsync();
        var calendar = Calendar.Load(text)!;
        Assert.Contains("X-WR-CALNAME:", text, StringComparison.Ordinal);
        Assert.Contains("REFRESH-INTERVAL;VALUE=DURATION:PT15M\r\n", text, StringComparison.Ordinal);
        Assert.Contains("DTSTART;VALUE=DATE:", text, StringComparison.Ordinal);
        var uids = calendar.Events.Select(e => e.Uid).ToList();
        Assert.DoesNotContain($"{done.Id}@crm", uids);
        Assert.DoesNotContain($"{farAhead.Id}@crm", uids);
        Assert.DoesNotContain($"{longAgo.Id}@crm", uids);
        Assert.DoesNotContain($"{ivans.Id}@crm", uids);

        var meetingEvent = Assert.Single(calendar.Events, e => e.Uid == $"{meeting.GetProperty("id").GetGuid()}@crm");
        Assert.Equal("Встреча с Ромашкой", meetingEvent.Summary);
        var start = DateTimeOffset.Parse(meetingAt, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime;
        Assert.True(meetingEvent.DtStart!.IsUtc);
        Assert.Equal(start, meetingEvent.DtStart.Value);
        Assert.Equal(start.AddMinutes(90), meetingEvent.DtEnd!.Value);
        Assert.Contains("Обсудить поставку", meetingEvent.Description, StringComparison.Ordinal);
        Assert.Contains($"/tasks/{meeting.GetProperty("id").GetGuid()}", meetingEvent.Description, StringComparison.Ordinal);
        Assert.Contains("Встреча", meetingEvent.Categories);
        var alarm = Assert.Single(meetingEvent.Alarms);
        Assert.Equal(TimeSpan.FromMinutes(-15), alarm.Trigger!.Duration!.Value.ToTimeSpanUnspecified());

        var dayEvent = Assert.Single(calendar.Events, e => e.Uid == $"{allDay.GetProperty("id").GetGuid()}@crm");
        Assert.False(dayEvent.DtStart!.HasTime);
        Assert.Equal(DateOnly.Parse(dayAt[..10], System.Globalization.CultureInfo.InvariantCulture), dayEvent.DtStart.Date);
        Assert.Equal(dayEvent.DtStart.Date.AddDays(1), dayEvent.DtEnd!.Date);
        Assert.Empty(dayEvent.Alarms);
    }

    [Fact]
    public async Task A_new_link_stops_the_old_one_and_a_revoked_link_answers_404()
    {
        var ivan = await app.SignInAsync(CrmApp.Ivan);
        var anonymous = app.CreateClient(acceptLanguage: null);

        var first = await MakeFeedAsync(ivan);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(first)).StatusCode);
        var second = await MakeFeedAsync(ivan);

        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(second)).StatusCode);
        var page = await ivan.GetStringAsync("/tasks/feed");
        Assert.Contains("data-feed-state=\"active\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(second, page, StringComparison.Ordinal);

        var revoke = await CrmApp.PostFormAsync(ivan, "/tasks/feed", "/tasks/feed/revoke", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(second)).StatusCode);
        Assert.Contains("data-feed-state=\"none\"", await ivan.GetStringAsync("/tasks/feed"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/calendar/" + new string('a', 43) + ".ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/calendar/short.ics")).StatusCode);
    }

    [Fact]
    public async Task Only_the_hash_of_the_token_is_stored_and_another_users_link_never_shows_my_tasks()
    {
        var annasTask = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = "Только для Анны" });
        var headsTaskForAnna = await TasksData.CreateAsync(app, CrmApp.Head, new TaskInput { Title = "От руководителя Анне", AssigneeId = annasTask.AssigneeId });
        var head = await app.SignInAsync(CrmApp.Head);
        var headFeed = await MakeFeedAsync(head);
        var token = headFeed["/calendar/".Length..^".ics".Length];

        var text = await app.CreateClient(acceptLanguage: null).GetStringAsync(headFeed);

        Assert.DoesNotContain(annasTask.Id.ToString(), text, StringComparison.Ordinal);
        // The head set it, but it is Anna's day, not the head's.
        Assert.DoesNotContain(headsTaskForAnna.Id.ToString(), text, StringComparison.Ordinal);
        var stored = await app.WithScopeAsync(s => s.GetRequiredService<TasksDbContext>().CalendarFeeds.AsNoTracking().Select(f => f.TokenHash).ToListAsync());
        Assert.DoesNotContain(token, stored);
        Assert.Contains(Crm.Tasks.Feed.CalendarFeeds.Hash(token), stored);
    }

    [Fact]
    public async Task The_subscription_page_requires_sign_in()
    {
        var anonymous = app.CreateClient();

        var page = await anonymous.GetAsync("/tasks/feed");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
