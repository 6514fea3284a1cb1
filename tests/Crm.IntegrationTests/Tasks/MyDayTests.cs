using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Identity.Access;
using Crm.Identity.Contracts;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Crm.Tasks.Contracts;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Crm.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Tasks;

/// <summary>
/// My day, the department overview, the completion dialog and the calendar's reschedule, through the pages
/// as a browser uses them: sections and counts in the user's own today (Vladivostok included), who may
/// look at whose day, and that nobody completes or moves another's task by id.
/// </summary>
public sealed class MyDayTests(MyDayTests.App app) : IClassFixture<MyDayTests.App>
{
    public sealed class App : CrmApp
    {
        public MovableClock Clock { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private static readonly TimeZoneInfo Vladivostok = TimeZoneInfo.FindSystemTimeZoneById("Asia/Vladivostok");

    [Fact]
    public async Task A_long_section_shows_its_first_tasks_and_links_to_all_of_them_in_the_list()
    {
        SetClockToUtc(9);
        var manager = await NewManagerAsync();
        var now = app.Clock.GetUtcNow();
        for (var i = 0; i < 25; i++)
        {
            await CreateAsync(manager, "Просрочено " + i, now.AddDays(-5).AddMinutes(i));
        }

        var client = await app.SignInAsync(manager.Email);
        var html = await client.GetStringAsync("/tasks");

        Assert.Equal(25, Count(html, "overdue"));
        Assert.Equal(10, Regex.Count(Section(html, "overdue"), "crm-day-row\\b"));
        var all = $"/tasks/list?assignee={manager.Id}&overdue=true";
        Assert.Contains(all.Replace("&", "&amp;", StringComparison.Ordinal), html, StringComparison.Ordinal);
        var list = await client.GetStringAsync(all);
        Assert.Contains("Просрочено 24", list, StringComparison.Ordinal);
        Assert.Contains("Просрочено 0", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task My_day_shows_overdue_today_tomorrow_later_and_done_today_with_their_counts()
    {
        SetClockToUtc(9); // noon in Moscow: the whole of today is on both sides of now
        var manager = await NewManagerAsync();
        var now = app.Clock.GetUtcNow();
        var overdue = await CreateAsync(manager, "Просроченный звонок", now.AddHours(-2));
        var today = await CreateAsync(manager, "Встреча сегодня", now.AddHours(3));
        var allDay = await CreateAsync(manager, "Весь день сегодня", now, allDay: true);
        var tomorrow = await CreateAsync(manager, "Звонок завтра", now.AddDays(1));
        var later1 = await CreateAsync(manager, "Позже 1", now.AddDays(3));
        var later2 = await CreateAsync(manager, "Позже 2", now.AddDays(10));
        var done = await CreateAsync(manager, "Сделано сегодня", now.AddHours(1));
        Assert.True((await TasksData.CompleteAsync(app.Services, manager.Email, done.Id, "ok")).Succeeded);

        var client = await app.SignInAsync(manager.Email);
        var html = await client.GetStringAsync("/tasks");

        Assert.Equal(1, Count(html, "overdue"));
        Assert.Equal(2, Count(html, "today"));
        Assert.Equal(1, Count(html, "tomorrow"));
        Assert.Equal(2, Count(html, "later"));
        Assert.Equal(1, Count(html, "donetoday"));
        Assert.Contains(overdue.Title, Section(html, "overdue"), StringComparison.Ordinal);
        Assert.Contains(today.Title, Section(html, "today"), StringComparison.Ordinal);
        Assert.Contains(allDay.Title, Section(html, "today"), StringComparison.Ordinal);
        Assert.Contains(tomorrow.Title, Section(html, "tomorrow"), StringComparison.Ordinal);
        Assert.Contains(later1.Title, Section(html, "later"), StringComparison.Ordinal);
        Assert.Contains(later2.Title, Section(html, "later"), StringComparison.Ordinal);
        Assert.Contains(done.Title, Section(html, "donetoday"), StringComparison.Ordinal);
        Assert.Contains($"hx-get=\"/tasks/{today.Id}/complete\"", html, StringComparison.Ordinal);

        // Two hours on, today's meeting is overdue: the sections follow the clock.
        app.Clock.Advance(TimeSpan.FromHours(4));
        var later = await client.GetStringAsync("/tasks/sections");
        Assert.Equal(2, Count(later, "overdue"));
        Assert.Contains(today.Title, Section(later, "overdue"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_in_Vladivostok_sees_todays_tasks_by_the_Vladivostok_date()
    {
        SetClockToUtc(15); // 18:00 in Moscow, 01:00 of the next day in Vladivostok
        var now = app.Clock.GetUtcNow();
        var vladivostokToday = TaskTimes.Today(now, Vladivostok);
        Assert.NotEqual(TaskTimes.Today(now, Moscow), vladivostokToday);

        var manager = await NewManagerAsync("Asia/Vladivostok");
        var lateToday = await CreateAsync(manager, "Владивосток 23:30 сегодня", TaskTimes.ToInstant(vladivostokToday, new TimeOnly(23, 30), Vladivostok));
        var earlyTomorrow = await CreateAsync(manager, "Владивосток 00:30 завтра", TaskTimes.ToInstant(vladivostokToday.AddDays(1), new TimeOnly(0, 30), Vladivostok));

        var client = await app.SignInAsync(manager.Email);
        var html = await client.GetStringAsync("/tasks");

        Assert.Contains(lateToday.Title, Section(html, "today"), StringComparison.Ordinal);
        Assert.Contains("23:30", Section(html, "today"), StringComparison.Ordinal);
        Assert.Contains(earlyTomorrow.Title, Section(html, "tomorrow"), StringComparison.Ordinal);
        Assert.Contains("0:30", Section(html, "tomorrow"), StringComparison.Ordinal);
        Assert.Equal(1, Count(html, "today"));
        Assert.Equal(1, Count(html, "tomorrow"));

        // The week of the calendar puts both on their Vladivostok days.
        var week = await client.GetStringAsync("/tasks/calendar?view=week&date=" + vladivostokToday.ToString("yyyy-MM-dd"));
        Assert.Matches($"data-date=\"{vladivostokToday:yyyy-MM-dd}\" data-hour=\"21\">\\s*<a[^>]*data-task-id=\"{lateToday.Id}\"", week);
        var nextWeek = await client.GetStringAsync("/tasks/calendar?view=week&date=" + vladivostokToday.AddDays(1).ToString("yyyy-MM-dd"));
        Assert.Matches($"data-date=\"{vladivostokToday.AddDays(1):yyyy-MM-dd}\" data-hour=\"7\">\\s*<a[^>]*data-task-id=\"{earlyTomorrow.Id}\"", nextWeek);
    }

    [Fact]
    public async Task A_head_switches_to_a_managers_day_and_calendar()
    {
        app.Clock.Reset();
        var anna = await TasksData.UserAsync(app.Services, CrmApp.Anna);
        var task = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = "Анна: звонок " + Guid.NewGuid().ToString("N")[..6] });
        var head = await app.SignInAsync(CrmApp.Head);

        var own = await head.GetStringAsync("/tasks");
        Assert.Contains("name=\"user\"", own, StringComparison.Ordinal);
        Assert.Contains("href=\"/tasks/overview\"", own, StringComparison.Ordinal);

        var annasDay = await head.GetAsync("/tasks?user=" + anna.Id);
        Assert.Equal(HttpStatusCode.OK, annasDay.StatusCode);
        var html = await annasDay.Content.ReadAsStringAsync();
        Assert.Contains(task.Title, html, StringComparison.Ordinal);
        Assert.Contains(anna.FullName, html, StringComparison.Ordinal);

        var calendar = await head.GetStringAsync("/tasks/calendar?user=" + anna.Id);
        Assert.Contains($"data-task-id=\"{task.Id}\"", calendar, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manager_gets_not_found_for_a_colleagues_day_calendar_and_the_overview()
    {
        var ivan = await TasksData.UserAsync(app.Services, CrmApp.Ivan);
        var anna = await app.SignInAsync(CrmApp.Anna);

        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync("/tasks?user=" + ivan.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync("/tasks/sections?user=" + ivan.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync("/tasks/calendar?user=" + ivan.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync("/tasks/overview")).StatusCode);
        var own = await anna.GetStringAsync("/tasks");
        Assert.DoesNotContain("name=\"user\"", own, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_overview_counts_each_managers_overdue_and_todays_open_tasks()
    {
        SetClockToUtc(9);
        var now = app.Clock.GetUtcNow();
        var first = await NewManagerAsync();
        var second = await NewManagerAsync();
        await CreateAsync(first, "o1", now.AddHours(-1));
        await CreateAsync(first, "o2", now.AddHours(-3));
        await CreateAsync(first, "t1", now.AddHours(2));
        await CreateAsync(second, "t2", now.AddHours(1));
        await CreateAsync(second, "t3", now, allDay: true);
        await CreateAsync(second, "tomorrow", now.AddDays(1));
        var done = await CreateAsync(second, "done", now.AddHours(1));
        await TasksData.CompleteAsync(app.Services, second.Email, done.Id, null);

        var head = await app.SignInAsync(CrmApp.Head);
        var html = await head.GetStringAsync("/tasks/overview");

        Assert.Equal((2, 1), Row(html, first.Id));
        Assert.Equal((0, 2), Row(html, second.Id));
        Assert.Contains($"href=\"/tasks?user={first.Id}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completing_in_the_dialog_with_the_next_one_schedules_the_follow_up_for_the_same_record()
    {
        app.Clock.Reset();
        var company = await TasksData.ClientAsync(app.Services, CrmApp.Anna, Crm.Clients.Contracts.ClientKind.Company);
        var task = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = "Позвонить в Ромашку", Kind = TaskKind.Call, LinkKind = TaskLinkKinds.Company, LinkId = company.Id });
        var anna = await app.SignInAsync(CrmApp.Anna);

        var form = await HtmxGetAsync(anna, $"/tasks/{task.Id}/complete");
        Assert.DoesNotContain("<html", form, StringComparison.Ordinal);
        Assert.Contains("Перезвонить: Позвонить в Ромашку", form, StringComparison.Ordinal);

        var tomorrow = TaskTimes.Today(app.Clock.GetUtcNow(), Moscow).AddDays(1);
        var response = await HtmxPostAsync(anna, $"/tasks/{task.Id}/complete", form, new Dictionary<string, string>
        {
            ["Result"] = "Договорились созвониться",
            ["ScheduleNext"] = "true",
            ["NextKind"] = "Call",
            ["NextTitle"] = "Перезвонить в Ромашку",
            ["NextDate"] = tomorrow.ToString("yyyy-MM-dd"),
            ["NextTime"] = "10:00",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tasks-changed", response.Headers.GetValues("HX-Trigger").Single());
        Assert.Contains("data-completed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var saved = await TasksData.ReloadAsync(app.Services, task.Id);
        Assert.Equal(TaskState.Done, saved.Status);
        Assert.Equal("Договорились созвониться", saved.Result);
        var next = await TaskAsync(t => t.Title == "Перезвонить в Ромашку" && t.LinkId == company.Id);
        Assert.Equal(saved.AssigneeId, next.AssigneeId);
        Assert.Equal(TaskLinkKinds.Company, next.LinkKind);
        Assert.Equal(TaskTimes.ToInstant(tomorrow, new TimeOnly(10, 0), Moscow), next.DueAt);
        Assert.True(next.IsOpen);
    }

    [Fact]
    public async Task Completing_on_the_page_goes_back_to_a_local_return_url_only()
    {
        var first = await TasksData.CreateAsync(app, CrmApp.Anna);
        var second = await TasksData.CreateAsync(app, CrmApp.Anna);
        var anna = await app.SignInAsync(CrmApp.Anna);

        var page = await anna.GetStringAsync($"/tasks/{first.Id}/complete?returnUrl=/tasks");
        Assert.Contains("<html", page, StringComparison.Ordinal);
        var back = await CrmApp.PostFormAsync(anna, $"/tasks/{first.Id}/complete", $"/tasks/{first.Id}/complete",
            new Dictionary<string, string> { ["Result"] = "Сделано", ["ReturnUrl"] = "/tasks" });
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("/tasks", back.Headers.Location!.OriginalString);
        Assert.Equal(TaskState.Done, (await TasksData.ReloadAsync(app.Services, first.Id)).Status);

        var elsewhere = await CrmApp.PostFormAsync(anna, $"/tasks/{second.Id}/complete", $"/tasks/{second.Id}/complete",
            new Dictionary<string, string> { ["ReturnUrl"] = "https://evil.example/" });
        Assert.Equal("/tasks/" + second.Id, elsewhere.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_mistake_in_the_next_task_keeps_what_was_typed_and_completes_nothing()
    {
        var task = await TasksData.CreateAsync(app, CrmApp.Anna);
        var anna = await app.SignInAsync(CrmApp.Anna);
        var form = await HtmxGetAsync(anna, $"/tasks/{task.Id}/complete");

        var response = await HtmxPostAsync(anna, $"/tasks/{task.Id}/complete", form, new Dictionary<string, string>
        {
            ["Result"] = "Клиент просил перезвонить",
            ["ScheduleNext"] = "true",
            ["NextKind"] = "Call",
            ["NextTitle"] = "",
            ["NextDate"] = "not a date",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("HX-Trigger"));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Клиент просил перезвонить", html, StringComparison.Ordinal);
        Assert.Contains("Укажите дату.", html, StringComparison.Ordinal);
        Assert.Matches("id=\"complete-next\"[^>]*checked", html);
        Assert.True((await TasksData.ReloadAsync(app.Services, task.Id)).IsOpen);

        // With a date but no title, the editor's message comes back next to the title.
        response = await HtmxPostAsync(anna, $"/tasks/{task.Id}/complete", form, new Dictionary<string, string>
        {
            ["Result"] = "Клиент просил перезвонить",
            ["ScheduleNext"] = "true",
            ["NextKind"] = "Call",
            ["NextTitle"] = " ",
            ["NextDate"] = "2030-01-15",
        });
        html = await response.Content.ReadAsStringAsync();
        Assert.Matches("id=\"next-title\"[^>]*is-invalid[\\s\\S]*Укажите, что нужно сделать\\.", html);
        Assert.True((await TasksData.ReloadAsync(app.Services, task.Id)).IsOpen);
    }

    [Fact]
    public async Task A_manager_cannot_open_or_complete_another_managers_task_by_id()
    {
        var task = await TasksData.CreateAsync(app, CrmApp.Anna);
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        Assert.Equal(HttpStatusCode.NotFound, (await ivan.GetAsync($"/tasks/{task.Id}/complete")).StatusCode);
        var token = CrmApp.AntiforgeryToken(await ivan.GetStringAsync("/tasks"));
        var post = await ivan.PostAsync($"/tasks/{task.Id}/complete", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Result"] = "чужая",
        }));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.True((await TasksData.ReloadAsync(app.Services, task.Id)).IsOpen);
    }

    [Fact]
    public async Task Quick_add_creates_the_task_or_shows_the_message_next_to_the_field()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var page = await anna.GetStringAsync("/tasks");
        var today = Regex.Match(page, "id=\"quick-date\" name=\"Date\" type=\"date\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal(TaskTimes.Today(app.Clock.GetUtcNow(), Moscow).ToString("yyyy-MM-dd"), today);

        var title = "Быстрая задача " + Guid.NewGuid().ToString("N")[..6];
        var added = await HtmxPostAsync(anna, "/tasks/quick", page, new Dictionary<string, string>
        {
            ["Title"] = title,
            ["Kind"] = "Meeting",
            ["Date"] = today,
            ["Time"] = "23:59",
        });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal("tasks-changed", added.Headers.GetValues("HX-Trigger").Single());
        var task = await TaskAsync(t => t.Title == title);
        Assert.Equal(TaskKind.Meeting, task.Kind);
        Assert.Equal(60, task.DurationMinutes);
        Assert.Equal(TaskTimes.ToInstant(DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), new TimeOnly(23, 59), Moscow), task.DueAt);

        var refused = await HtmxPostAsync(anna, "/tasks/quick", page, new Dictionary<string, string> { ["Title"] = "", ["Kind"] = "Call", ["Date"] = today, ["Time"] = "25:00" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.False(refused.Headers.Contains("HX-Trigger"));
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Укажите время в виде чч:мм или оставьте поле пустым.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rescheduling_moves_the_due_time_in_the_users_time_zone_and_keeps_the_duration()
    {
        app.Clock.Reset();
        var manager = await NewManagerAsync("Asia/Vladivostok");
        var meeting = await TasksData.CreateAsync(app, manager.Email, new TaskInput { Title = "Встреча", Kind = TaskKind.Meeting, DurationMinutes = 90, DueAt = app.Clock.GetUtcNow().AddDays(1) });
        var client = await app.SignInAsync(manager.Email);
        var day = TaskTimes.Today(app.Clock.GetUtcNow(), Vladivostok).AddDays(2);

        var answer = await RescheduleAsync(client, meeting.Id, day.ToString("yyyy-MM-dd"), "09:15", meeting.Version);

        Assert.True(answer.GetProperty("ok").GetBoolean(), answer.ToString());
        var saved = await TasksData.ReloadAsync(app.Services, meeting.Id);
        Assert.Equal(TaskTimes.ToInstant(day, new TimeOnly(9, 15), Vladivostok), saved.DueAt);
        Assert.Equal(day.AddDays(-1).ToDateTime(new TimeOnly(23, 15)), saved.DueAt.UtcDateTime);
        Assert.Equal(90, saved.DurationMinutes);
        Assert.False(saved.AllDay);
        Assert.Equal(saved.Version, answer.GetProperty("version").GetUInt32());

        // The all-day row makes it an all-day task; a stale version is refused with a message.
        var allDay = await RescheduleAsync(client, meeting.Id, day.ToString("yyyy-MM-dd"), "", saved.Version);
        Assert.True(allDay.GetProperty("ok").GetBoolean());
        Assert.True((await TasksData.ReloadAsync(app.Services, meeting.Id)).AllDay);
        var stale = await RescheduleAsync(client, meeting.Id, day.ToString("yyyy-MM-dd"), "10:00", saved.Version);
        Assert.False(stale.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_manager_cannot_reschedule_another_managers_task()
    {
        var task = await TasksData.CreateAsync(app, CrmApp.Anna);
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        var response = await PostRescheduleAsync(ivan, task.Id, "2030-01-15", "10:00", task.Version);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ok").GetBoolean());
        Assert.Equal(task.DueAt, (await TasksData.ReloadAsync(app.Services, task.Id)).DueAt);
    }

    /// <summary>Moves the clock to the next whole <paramref name="hour"/> UTC from the real now.</summary>
    private void SetClockToUtc(int hour)
    {
        app.Clock.Reset();
        var now = app.Clock.GetUtcNow();
        var target = new DateTimeOffset(now.UtcDateTime.Date.AddHours(hour), TimeSpan.Zero);
        if (target <= now)
        {
            target = target.AddDays(1);
        }

        app.Clock.Advance(target - now);
    }

    /// <summary>A new manager of the sales department (a clean day to count), in the given time zone.</summary>
    private async Task<UserSummary> NewManagerAsync(string timeZone = "Europe/Moscow")
    {
        var email = "day-" + Guid.NewGuid().ToString("N")[..8] + "@crm.local";
        await app.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<CrmUser>>();
            var anna = await users.FindByEmailAsync(CrmApp.Anna) ?? throw new InvalidOperationException("No Anna");
            var user = new CrmUser
            {
                Id = Guid.CreateVersion7(),
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                FullName = "Тест " + email[4..8],
                DepartmentId = anna.DepartmentId,
                TimeZoneId = timeZone,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            Assert.True((await users.CreateAsync(user, CrmApp.DemoPassword)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, BuiltInRoles.Manager)).Succeeded);
            services.GetRequiredService<AccessRules>().UsersChanged();
        });
        return await TasksData.UserAsync(app.Services, email);
    }

    private Task<TaskItem> CreateAsync(UserSummary user, string title, DateTimeOffset dueAt, bool allDay = false) =>
        TasksData.CreateAsync(app, user.Email, new TaskInput { Title = title + " " + Guid.NewGuid().ToString("N")[..4], DueAt = dueAt, AllDay = allDay });

    private Task<TaskItem> TaskAsync(System.Linq.Expressions.Expression<Func<TaskItem, bool>> predicate) =>
        app.WithScopeAsync(services => services.GetRequiredService<TasksDbContext>().Tasks.AsNoTracking().SingleAsync(predicate));

    private static async Task<string> HtmxGetAsync(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("HX-Request", "true");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts as htmx does, with the antiforgery token of the form the page or partial rendered.</summary>
    private static async Task<HttpResponseMessage> HtmxPostAsync(HttpClient client, string url, string formHtml, Dictionary<string, string> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = CrmApp.AntiforgeryToken(formHtml) }),
        };
        request.Headers.Add("HX-Request", "true");
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PostRescheduleAsync(HttpClient client, Guid id, string date, string time, uint version)
    {
        var page = await client.GetStringAsync("/tasks/calendar");
        var token = Regex.Match(page, "<meta name=\"csrf-token\" content=\"([^\"]+)\"").Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/tasks/{id}/reschedule")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["date"] = date, ["time"] = time, ["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        };
        request.Headers.Add("RequestVerificationToken", token);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> RescheduleAsync(HttpClient client, Guid id, string date, string time, uint version)
    {
        var response = await PostRescheduleAsync(client, id, date, time, version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string Section(string html, string key)
    {
        var match = Regex.Match(html, $"data-section=\"{key}\"[\\s\\S]*?</section>");
        Assert.True(match.Success, "No section " + key);
        return match.Value;
    }

    private static int Count(string html, string key) =>
        int.Parse(Regex.Match(Section(html, key), "data-count>(\\d+)<").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static (int Overdue, int Today) Row(string html, Guid userId)
    {
        var row = Regex.Match(html, $"data-user-id=\"{userId}\"[\\s\\S]*?</tr>").Value;
        var overdue = Regex.Match(row, "data-overdue>\\s*<span[^>]*>(\\d+)<").Groups[1].Value;
        var today = Regex.Match(row, "data-today>(\\d+)<").Groups[1].Value;
        return (overdue.Length == 0 ? 0 : int.Parse(overdue, System.Globalization.CultureInfo.InvariantCulture), int.Parse(today, System.Globalization.CultureInfo.InvariantCulture));
    }
}
