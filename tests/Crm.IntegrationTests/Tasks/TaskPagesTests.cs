using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Clients.Contracts;
using Crm.Tasks.Contracts;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Tasks;

/// <summary>The task's own pages (form, card, cancel, reopen, delete), the link picker's search and the tasks panel on record cards.</summary>
public sealed partial class TaskPagesTests(CrmApp app) : IClassFixture<CrmApp>
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private static Dictionary<string, string> Form(string title, string date = "2031-03-14", string time = "10:00", params (string Key, string Value)[] more)
    {
        var fields = new Dictionary<string, string>
        {
            ["Form.Title"] = title,
            ["Form.Kind"] = "Call",
            ["Form.DueDate"] = date,
            ["Form.DueTime"] = time,
            ["Form.Priority"] = "Normal",
            ["Form.ReminderMinutes"] = "15",
        };
        foreach (var (key, value) in more)
        {
            fields["Form." + key] = value;
        }

        return fields;
    }

    private static string Unique(string text) => text + " " + Guid.NewGuid().ToString("N")[..6];

    private Task<TaskItem?> FindByTitleAsync(string title) =>
        app.WithScopeAsync(s => s.GetRequiredService<TasksDbContext>().Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.Title == title));

    private static async Task<string> HtmlAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    [Fact]
    public async Task A_task_added_from_a_company_card_is_linked_to_it_and_the_form_goes_back_to_the_card()
    {
        var company = await TasksData.ClientAsync(app.Services, CrmApp.Anna, ClientKind.Company);
        var anna = await app.SignInAsync(CrmApp.Anna);
        var cardUrl = "/companies/" + company.Id;
        var formUrl = $"/tasks/new?linkKind=company&linkId={company.Id}&returnUrl={Uri.EscapeDataString(cardUrl)}";
        var title = Unique("Позвонить по договору");

        var page = await HtmlAsync(await anna.GetAsync(formUrl));
        Assert.Contains("data-task-link-chip", page, StringComparison.Ordinal);
        Assert.Contains(company.Name, page, StringComparison.Ordinal);

        var fields = Form(title, more: [("LinkKind", "company"), ("LinkId", company.Id.ToString()), ("LinkFixed", "true"), ("ReturnUrl", cardUrl), ("Tags", "договор, срочно")]);
        var response = await CrmApp.PostFormAsync(anna, formUrl, "/tasks/new", fields);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(cardUrl, response.Headers.Location?.OriginalString);
        var task = await FindByTitleAsync(title);
        Assert.NotNull(task);
        Assert.Equal((TaskLinkKinds.Company, company.Id), (task.LinkKind, task.LinkId));
        Assert.Equal(TaskKind.Call, task.Kind);
        Assert.Equal(15, task.ReminderMinutes);
        Assert.Equal(["договор", "срочно"], task.Tags);
        // 10:00 in Moscow (UTC+3), the user's time zone.
        Assert.Equal(new DateTimeOffset(2031, 3, 14, 7, 0, 0, TimeSpan.Zero), task.DueAt);

        var card = await HtmlAsync(await anna.GetAsync(cardUrl));
        Assert.Contains(title, card, StringComparison.Ordinal);
        Assert.Contains($"data-panel-task=\"{task.Id}\"", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_comes_back_next_to_its_fields_in_russian_keeping_what_was_typed_and_creates_nothing()
    {
        var ivan = await TasksData.UserAsync(app.Services, CrmApp.Ivan);
        var anna = await app.SignInAsync(CrmApp.Anna);
        var title = Unique("Ошибочная задача");

        var noTitle = await HtmlAsync(await CrmApp.PostFormAsync(anna, "/tasks/new", "/tasks/new",
            Form("", more: [("AssigneeId", ivan.Id.ToString()), ("Description", "Что-то важное")])));
        Assert.Contains("Укажите, что нужно сделать.", noTitle, StringComparison.Ordinal);
        Assert.Contains("Вы не можете ставить задачи этому пользователю.", noTitle, StringComparison.Ordinal);
        Assert.Contains("Что-то важное", noTitle, StringComparison.Ordinal);
        Assert.Matches("id=\"Form_Title\"[^>]*is-invalid", noTitle);

        var badTime = await HtmlAsync(await CrmApp.PostFormAsync(anna, "/tasks/new", "/tasks/new", Form(title, time: "25:99")));
        Assert.Contains("Введите время, например 14:30.", badTime, StringComparison.Ordinal);
        Assert.Contains("value=\"25:99\"", badTime, StringComparison.Ordinal);
        Assert.Contains($"value=\"{title}\"", badTime, StringComparison.Ordinal);

        var meeting = await HtmlAsync(await CrmApp.PostFormAsync(anna, "/tasks/new", "/tasks/new",
            Form(title, more: [("Kind", "Meeting"), ("DurationMinutes", "час"), ("LinkKind", "company"), ("LinkName", "Несуществующая")])));
        Assert.Contains("Введите длительность в минутах, например 60.", meeting, StringComparison.Ordinal);
        Assert.Contains("Выберите запись из списка.", meeting, StringComparison.Ordinal);

        var noTime = await HtmlAsync(await CrmApp.PostFormAsync(anna, "/tasks/new", "/tasks/new", Form(title, time: "")));
        Assert.Contains("Укажите время или отметьте «Весь день».", noTime, StringComparison.Ordinal);

        Assert.Null(await FindByTitleAsync(title));
    }

    [Fact]
    public async Task An_all_day_task_is_due_on_the_users_day_and_a_task_on_a_lead_works()
    {
        var lead = await TasksData.ClientAsync(app.Services, CrmApp.Anna, ClientKind.Lead);
        var anna = await app.SignInAsync(CrmApp.Anna);
        var title = Unique("Задача по лиду на день");

        var response = await CrmApp.PostFormAsync(anna, "/tasks/new", "/tasks/new",
            Form(title, time: "", more: [("AllDay", "true"), ("Kind", "Todo"), ("LinkKind", "lead"), ("LinkId", lead.Id.ToString()), ("LinkName", lead.Name)]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var task = await FindByTitleAsync(title);
        Assert.NotNull(task);
        Assert.Equal("/tasks/" + task.Id, response.Headers.Location?.OriginalString);
        Assert.True(task.AllDay);
        Assert.Equal(TaskItem.StartOfDay(new DateOnly(2031, 3, 14), Moscow), task.DueAt);
        Assert.Equal((TaskLinkKinds.Lead, lead.Id), (task.LinkKind, task.LinkId));

        var card = await HtmlAsync(await anna.GetAsync("/tasks/" + task.Id));
        Assert.Contains(title, card, StringComparison.Ordinal);
        Assert.Contains("/leads/" + lead.Id, card, StringComparison.Ordinal);
        Assert.Contains("Весь день", card, StringComparison.Ordinal);

        var leadCard = await HtmlAsync(await anna.GetAsync("/leads/" + lead.Id));
        Assert.Contains($"data-panel-task=\"{task.Id}\"", leadCard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_the_edit_form_over_a_newer_version_shows_a_conflict_and_keeps_the_input()
    {
        var task = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = Unique("Версия") });
        var anna = await app.SignInAsync(CrmApp.Anna);
        var editUrl = $"/tasks/{task.Id}/edit";
        var page = await HtmlAsync(await anna.GetAsync(editUrl));
        var version = VersionInput().Match(page).Groups[1].Value;
        Assert.NotEmpty(version);

        var first = await CrmApp.PostFormAsync(anna, editUrl, editUrl, Form("Первое изменение", more: [("Version", version)]));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);

        var stale = await HtmlAsync(await CrmApp.PostFormAsync(anna, editUrl, editUrl, Form("Второе изменение", more: [("Version", version)])));
        Assert.Contains("Кто-то другой изменил эту задачу за это время.", stale, StringComparison.Ordinal);
        Assert.Contains("value=\"Второе изменение\"", stale, StringComparison.Ordinal);
        Assert.Equal("Первое изменение", (await TasksData.ReloadAsync(app.Services, task.Id)).Title);
    }

    [Fact]
    public async Task A_manager_cannot_open_change_cancel_reopen_or_delete_another_managers_task_by_id()
    {
        var title = Unique("Задача Анны");
        var task = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = title });
        var done = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = Unique("Выполненная задача Анны") });
        await TasksData.CompleteAsync(app.Services, CrmApp.Anna, done.Id, "Готово");
        var ivan = await app.SignInAsync(CrmApp.Ivan);
        var ownTask = await TasksData.CreateAsync(app, CrmApp.Ivan);
        var ownCard = $"/tasks/{ownTask.Id}";

        Assert.Equal(HttpStatusCode.NotFound, (await ivan.GetAsync($"/tasks/{task.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ivan.GetAsync($"/tasks/{task.Id}/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CrmApp.PostFormAsync(ivan, ownCard, $"/tasks/{task.Id}/edit", Form("Захвачено"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CrmApp.PostFormAsync(ivan, ownCard, $"/tasks/{task.Id}/cancel", new Dictionary<string, string>())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CrmApp.PostFormAsync(ivan, ownCard, $"/tasks/{done.Id}/reopen", new Dictionary<string, string>())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CrmApp.PostFormAsync(ivan, ownCard, $"/tasks/{task.Id}/delete", new Dictionary<string, string>())).StatusCode);
        Assert.DoesNotContain(title, await HtmlAsync(await ivan.GetAsync($"/tasks/new?parentId={task.Id}")), StringComparison.Ordinal);

        var after = await TasksData.ReloadAsync(app.Services, task.Id);
        Assert.Equal((title, TaskState.Open, (DateTimeOffset?)null), (after.Title, after.Status, after.DeletedAt));
        Assert.Equal(TaskState.Done, (await TasksData.ReloadAsync(app.Services, done.Id)).Status);

        // A subtask under someone else's task is refused too (the parent is out of reach).
        var sub = await HtmlAsync(await CrmApp.PostFormAsync(ivan, ownCard, "/tasks/new", Form(Unique("Подзадача"), more: [("ParentId", task.Id.ToString())])));
        Assert.Contains("Родительская задача не найдена.", sub, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_head_opens_and_edits_a_department_managers_task_and_the_manager_cancels_and_reopens_their_own()
    {
        var title = Unique("Задача Ивана");
        var task = await TasksData.CreateAsync(app, CrmApp.Ivan, new TaskInput { Title = title, Description = "Подготовить КП" });
        var head = await app.SignInAsync(CrmApp.Head);
        var card = await HtmlAsync(await head.GetAsync($"/tasks/{task.Id}"));
        Assert.Contains(title, card, StringComparison.Ordinal);
        Assert.Contains("Подготовить КП", card, StringComparison.Ordinal);
        Assert.Contains($"/tasks/{task.Id}/complete", card, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await head.GetAsync($"/tasks/{task.Id}/edit")).StatusCode);

        var ivan = await app.SignInAsync(CrmApp.Ivan);
        var cardUrl = $"/tasks/{task.Id}";
        var cancelled = await CrmApp.PostFormAsync(ivan, cardUrl, $"/tasks/{task.Id}/cancel", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Equal(TaskState.Cancelled, (await TasksData.ReloadAsync(app.Services, task.Id)).Status);
        var closedCard = await HtmlAsync(await ivan.GetAsync(cardUrl));
        Assert.Contains($"action=\"/tasks/{task.Id}/reopen\"", closedCard, StringComparison.Ordinal);
        Assert.DoesNotContain($"/tasks/{task.Id}/complete", closedCard, StringComparison.Ordinal);

        await CrmApp.PostFormAsync(ivan, cardUrl, $"/tasks/{task.Id}/reopen", new Dictionary<string, string>());
        Assert.Equal(TaskState.Open, (await TasksData.ReloadAsync(app.Services, task.Id)).Status);
    }

    [Fact]
    public async Task A_subtask_is_listed_on_its_parent_and_deleting_the_parent_deletes_both_and_goes_back_to_the_record()
    {
        var company = await TasksData.ClientAsync(app.Services, CrmApp.Anna, ClientKind.Company);
        var parent = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = Unique("Родитель"), LinkKind = TaskLinkKinds.Company, LinkId = company.Id });
        var anna = await app.SignInAsync(CrmApp.Anna);
        var formUrl = $"/tasks/new?parentId={parent.Id}";
        var form = await HtmlAsync(await anna.GetAsync(formUrl));
        Assert.Contains(parent.Title, form, StringComparison.Ordinal);
        var subTitle = Unique("Шаг первый");

        var created = await CrmApp.PostFormAsync(anna, formUrl, "/tasks/new",
            Form(subTitle, more: [("ParentId", parent.Id.ToString()), ("LinkKind", "company"), ("LinkId", company.Id.ToString()), ("LinkName", company.Name)]));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var sub = await FindByTitleAsync(subTitle);
        Assert.Equal(parent.Id, sub!.ParentId);

        var card = await HtmlAsync(await anna.GetAsync($"/tasks/{parent.Id}"));
        Assert.Contains($"data-subtask=\"{sub.Id}\"", card, StringComparison.Ordinal);
        var subCard = await HtmlAsync(await anna.GetAsync($"/tasks/{sub.Id}"));
        Assert.Contains("data-task-parent", subCard, StringComparison.Ordinal);

        var deleted = await CrmApp.PostFormAsync(anna, $"/tasks/{parent.Id}", $"/tasks/{parent.Id}/delete", new Dictionary<string, string>());
        Assert.Equal("/companies/" + company.Id, deleted.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/tasks/{parent.Id}")).StatusCode);
        Assert.NotNull((await TasksData.ReloadAsync(app.Services, sub.Id)).DeletedAt);
    }

    [Fact]
    public async Task The_panel_counts_open_tasks_on_company_and_deal_cards_and_shows_only_tasks_within_reach()
    {
        var company = await TasksData.ClientAsync(app.Services, CrmApp.Anna, ClientKind.Company);
        var ivan = await TasksData.UserAsync(app.Services, CrmApp.Ivan);
        var onCompany = new TaskInput { LinkKind = TaskLinkKinds.Company, LinkId = company.Id };
        var anna = await app.SignInAsync(CrmApp.Anna);
        var before = PanelCount(await HtmlAsync(await anna.GetAsync("/companies/" + company.Id)));

        var mine = await TasksData.CreateAsync(app, CrmApp.Anna, onCompany with { Title = Unique("Моя открытая") });
        var doneTask = await TasksData.CreateAsync(app, CrmApp.Anna, onCompany with { Title = Unique("Моя выполненная") });
        await TasksData.CompleteAsync(app.Services, CrmApp.Anna, doneTask.Id, "Отправили счёт");
        // The head sets a task for Ivan on Anna's company: Anna may not see it.
        var hidden = await TasksData.CreateAsync(app, CrmApp.Head, onCompany with { Title = Unique("Для Ивана"), AssigneeId = ivan.Id });

        var card = await HtmlAsync(await anna.GetAsync("/companies/" + company.Id));
        Assert.Equal(before + 1, PanelCount(card));
        Assert.Contains($"data-panel-task=\"{mine.Id}\"", card, StringComparison.Ordinal);
        Assert.Contains($"data-panel-done=\"{doneTask.Id}\"", card, StringComparison.Ordinal);
        Assert.Contains("Отправили счёт", card, StringComparison.Ordinal);
        // (The company's timeline still says a task was set: the timeline belongs to the record.)
        Assert.DoesNotContain($"data-panel-task=\"{hidden.Id}\"", card, StringComparison.Ordinal);
        Assert.Contains($"/tasks/new?linkKind=company&linkId={company.Id}&returnUrl=%2Fcompanies%2F{company.Id}", card, StringComparison.Ordinal);
        Assert.Contains(">Задача<", card, StringComparison.Ordinal);

        var headCard = await HtmlAsync(await (await app.SignInAsync(CrmApp.Head)).GetAsync("/companies/" + company.Id));
        Assert.Contains($"data-panel-task=\"{hidden.Id}\"", headCard, StringComparison.Ordinal);

        var deal = await DealsData.CreateAsync(app, CrmApp.Anna);
        await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { LinkKind = TaskLinkKinds.Deal, LinkId = deal.Id });
        await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { LinkKind = TaskLinkKinds.Deal, LinkId = deal.Id, DueAt = DateTimeOffset.UtcNow.AddDays(-1) });
        var dealCard = await HtmlAsync(await anna.GetAsync("/deals/" + deal.Id));
        Assert.Equal(2, PanelCount(dealCard));
        Assert.Contains("data-card-panel=\"DealTasksPanel\"", dealCard, StringComparison.Ordinal);
        Assert.Contains("data-overdue=\"true\"", dealCard, StringComparison.Ordinal);
        Assert.Contains($"linkKind=deal&linkId={deal.Id}", dealCard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_link_search_finds_only_records_within_the_users_reach()
    {
        var annas = await TasksData.ClientAsync(app.Services, CrmApp.Anna, ClientKind.Company);
        var ivans = await TasksData.ClientAsync(app.Services, CrmApp.Ivan, ClientKind.Company);
        var anna = await app.SignInAsync(CrmApp.Anna);

        async Task<List<Guid>> SearchAsync(string kind, string text)
        {
            var response = await anna.GetAsync($"/tasks/links?kind={kind}&q={Uri.EscapeDataString(text)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return [.. json.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetGuid())];
        }

        Assert.Contains(annas.Id, await SearchAsync("company", annas.Name));
        Assert.DoesNotContain(ivans.Id, await SearchAsync("company", ivans.Name));
        Assert.Empty(await SearchAsync("spaceship", "a"));

        // Nor can the form link to it by id.
        var title = Unique("Чужая компания");
        var html = await HtmlAsync(await CrmApp.PostFormAsync(anna, "/tasks/new", "/tasks/new",
            Form(title, more: [("LinkKind", "company"), ("LinkId", ivans.Id.ToString()), ("LinkName", ivans.Name)])));
        Assert.Contains("Связанная запись не найдена.", html, StringComparison.Ordinal);
        Assert.Null(await FindByTitleAsync(title));
    }

    private static int PanelCount(string html) => int.Parse(PanelCountBadge().Match(html).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("data-tasks-count[^>]*>(\\d+)<")]
    private static partial Regex PanelCountBadge();

    [GeneratedRegex("name=\"Form.Version\" value=\"(\\d+)\"")]
    private static partial Regex VersionInput();
}
