using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Crm.Clients.Contracts;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Crm.Testing;
using Xunit;

namespace Crm.IntegrationTests.Tasks;

/// <summary>/api/v1/tasks: CRUD through the task editor, 422 field messages, versions, scopes on every route, the list's filters and cursor.</summary>
public sealed class TasksApiTests(CrmApp app) : IClassFixture<CrmApp>
{
    private static string Token(string prefix) => prefix + " " + Guid.NewGuid().ToString("N")[..8];

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string url, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        return client.SendAsync(request);
    }

    [Fact]
    public async Task A_task_is_created_read_changed_in_part_completed_with_a_follow_up_and_deleted()
    {
        var anna = await app.ApiClientAsync(CrmApp.Anna);
        var company = await TasksData.ClientAsync(app.Services, CrmApp.Anna, ClientKind.Company);
        var due = DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-dd'T'10:00:00+03:00");

        var created = await anna.PostAsJsonAsync("/api/v1/tasks", new
        {
            title = "Позвонить по договору", kind = "call", priority = "high", dueAt = due, reminderMinutes = 15,
            linkKind = "company", linkId = company.Id, tags = new[] { "договор" },
        });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var task = await JsonAsync(created);
        var id = task.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/tasks/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("call", task.GetProperty("kind").GetString());
        Assert.Equal("high", task.GetProperty("priority").GetString());
        Assert.Equal("open", task.GetProperty("status").GetString());
        Assert.EndsWith("07:00:00Z", task.GetProperty("dueAt").GetString(), StringComparison.Ordinal);
        Assert.Equal(company.Name, task.GetProperty("linkName").GetString());

        var read = await anna.GetAsync($"/api/v1/tasks/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var etag = read.Headers.ETag!.Tag;
        Assert.Equal($"\"{(await JsonAsync(read)).GetProperty("version").GetUInt32()}\"", etag);

        var patched = await PatchAsync(anna, $"/api/v1/tasks/{id}", new { title = "Позвонить по договору №5", description = "Уточнить сроки" }, etag);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var changed = await JsonAsync(patched);
        Assert.Equal("Позвонить по договору №5", changed.GetProperty("title").GetString());
        Assert.Equal("Уточнить сроки", changed.GetProperty("description").GetString());
        Assert.Equal("call", changed.GetProperty("kind").GetString());
        Assert.Equal(15, changed.GetProperty("reminderMinutes").GetInt32());
        Assert.Equal(company.Id, changed.GetProperty("linkId").GetGuid());
        Assert.Equal(task.GetProperty("dueAt").GetString(), changed.GetProperty("dueAt").GetString());

        var stale = await PatchAsync(anna, $"/api/v1/tasks/{id}", new { title = "Старая версия" }, etag);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType!.MediaType);
        var staleInBody = await PatchAsync(anna, $"/api/v1/tasks/{id}", new { title = "Старая версия", version = task.GetProperty("version").GetUInt32() });
        Assert.Equal(HttpStatusCode.Conflict, staleInBody.StatusCode);

        var nextDue = DateTimeOffset.UtcNow.AddDays(5).ToString("yyyy-MM-dd'T'09:00:00Z");
        var completed = await anna.PostAsJsonAsync($"/api/v1/tasks/{id}/complete", new { result = "Договорились", next = new { title = "Отправить договор", kind = "email", dueAt = nextDue } });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var answer = await JsonAsync(completed);
        Assert.Equal("done", answer.GetProperty("task").GetProperty("status").GetString());
        Assert.Equal("Договорились", answer.GetProperty("task").GetProperty("result").GetString());
        var next = answer.GetProperty("next");
        Assert.Equal("email", next.GetProperty("kind").GetString());
        Assert.Equal(company.Id, next.GetProperty("linkId").GetGuid());
        Assert.Equal(nextDue, next.GetProperty("dueAt").GetString());

        var again = await anna.PostAsJsonAsync($"/api/v1/tasks/{id}/complete", new { result = "Ещё раз" });
        Assert.Equal((HttpStatusCode)422, again.StatusCode);

        var deleted = await anna.DeleteAsync($"/api/v1/tasks/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/api/v1/tasks/{id}")).StatusCode);
        Assert.NotNull((await TasksData.ReloadAsync(app.Services, id)).DeletedAt);
    }

    [Fact]
    public async Task Mistakes_answer_422_with_the_field_and_a_body_that_is_not_json_400()
    {
        var anna = await app.ApiClientAsync(CrmApp.Anna, "ru");
        var due = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

        var empty = await anna.PostAsJsonAsync("/api/v1/tasks", new { title = "", dueAt = due });
        var unknownKind = await anna.PostAsJsonAsync("/api/v1/tasks", new { title = "Тип", kind = "urgent", dueAt = due });
        var numericKind = await anna.PostAsJsonAsync("/api/v1/tasks", new { title = "Тип", kind = 2, dueAt = due });
        var noOffset = await anna.PostAsJsonAsync("/api/v1/tasks", new { title = "Время", dueAt = "2026-05-01T10:00:00" });
        var wrongTypes = await anna.PostAsJsonAsync("/api/v1/tasks", new { title = 5, dueAt = due, reminderMinutes = "15", tags = "a" });
        var outOfRange = await anna.PostAsJsonAsync("/api/v1/tasks", new { title = "Долго", dueAt = due, reminderMinutes = 100000, durationMinutes = 0 });
        var unknownField = await anna.PostAsJsonAsync("/api/v1/tasks", new { title = "Поле", dueAt = due, colour = "red" });
        var malformed = await anna.PostAsync("/api/v1/tasks", new StringContent("{\"title\": ", Encoding.UTF8, "application/json"));
        var array = await anna.PostAsync("/api/v1/tasks", new StringContent("[1, 2]", Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode)422, empty.StatusCode);
        Assert.Equal("application/problem+json", empty.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Укажите, что нужно сделать.", (await JsonAsync(empty)).GetProperty("errors").GetProperty("title")[0].GetString());
        Assert.Equal((HttpStatusCode)422, unknownKind.StatusCode);
        Assert.Contains("call, meeting, email, todo", (await JsonAsync(unknownKind)).GetProperty("errors").GetProperty("kind")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)422, numericKind.StatusCode);
        Assert.Equal((HttpStatusCode)422, noOffset.StatusCode);
        Assert.True((await JsonAsync(noOffset)).GetProperty("errors").TryGetProperty("dueAt", out _));
        var typeErrors = (await JsonAsync(wrongTypes)).GetProperty("errors");
        foreach (var field in new[] { "title", "reminderMinutes", "tags" })
        {
            Assert.True(typeErrors.TryGetProperty(field, out _), field);
        }

        var rangeErrors = (await JsonAsync(outOfRange)).GetProperty("errors");
        Assert.True(rangeErrors.TryGetProperty("reminderMinutes", out _));
        Assert.True(rangeErrors.TryGetProperty("durationMinutes", out _));
        Assert.True((await JsonAsync(unknownField)).GetProperty("errors").TryGetProperty("colour", out _));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, array.StatusCode);
    }

    [Fact]
    public async Task A_manager_cannot_get_change_complete_or_delete_another_managers_task_by_id()
    {
        var ivansTask = await TasksData.CreateAsync(app, CrmApp.Ivan, new TaskInput { Title = Token("Задача Ивана") });
        var anna = await app.ApiClientAsync(CrmApp.Anna);
        var url = $"/api/v1/tasks/{ivansTask.Id}";

        var get = await anna.GetAsync(url);
        var patch = await PatchAsync(anna, url, new { title = "Чужая" });
        var complete = await anna.PostAsJsonAsync(url + "/complete", new { result = "Чужая" });
        var delete = await anna.DeleteAsync(url);

        foreach (var response in new[] { get, patch, complete, delete })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }

        var unchanged = await TasksData.ReloadAsync(app.Services, ivansTask.Id);
        Assert.Equal(ivansTask.Title, unchanged.Title);
        Assert.Equal(TaskState.Open, unchanged.Status);
        Assert.Null(unchanged.DeletedAt);
        Assert.Equal(HttpStatusCode.OK, (await (await app.ApiClientAsync(CrmApp.Head)).GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task A_head_may_set_a_task_for_a_department_manager_but_a_manager_may_not()
    {
        var ivan = await TasksData.UserAsync(app.Services, CrmApp.Ivan);
        var due = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

        var byHead = await (await app.ApiClientAsync(CrmApp.Head)).PostAsJsonAsync("/api/v1/tasks", new { title = "От руководителя", dueAt = due, assigneeId = ivan.Id });
        var byAnna = await (await app.ApiClientAsync(CrmApp.Anna)).PostAsJsonAsync("/api/v1/tasks", new { title = "От коллеги", dueAt = due, assigneeId = ivan.Id });

        Assert.Equal(HttpStatusCode.Created, byHead.StatusCode);
        Assert.Equal(ivan.Id, (await JsonAsync(byHead)).GetProperty("assigneeId").GetGuid());
        Assert.Equal((HttpStatusCode)422, byAnna.StatusCode);
        Assert.True((await JsonAsync(byAnna)).GetProperty("errors").TryGetProperty("assigneeId", out _));
    }

    [Fact]
    public async Task The_list_filters_and_pages_by_cursor_within_the_scope()
    {
        var token = Token("Список");
        var now = DateTimeOffset.UtcNow;
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = $"{token} {i}", DueAt = now.AddDays(i + 1), Kind = i == 0 ? TaskKind.Meeting : TaskKind.Call })).Id);
        }

        var overdue = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = token + " просрочена", DueAt = now.AddDays(-2) });
        var done = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = token + " сделана", DueAt = now.AddDays(1) });
        await TasksData.CompleteAsync(app.Services, CrmApp.Anna, done.Id, "Готово");
        var company = await TasksData.ClientAsync(app.Services, CrmApp.Anna, ClientKind.Company);
        var linked = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = token + " по компании", DueAt = now.AddDays(20), LinkKind = "company", LinkId = company.Id });
        await TasksData.CreateAsync(app, CrmApp.Ivan, new TaskInput { Title = token + " Ивана" });
        var anna = await app.ApiClientAsync(CrmApp.Anna);
        var q = "q=" + Uri.EscapeDataString(token);

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await JsonAsync(await anna.GetAsync($"/api/v1/tasks?{q}&limit=2" + (cursor is null ? "" : "&cursor=" + cursor)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal([overdue.Id, .. ids, linked.Id], seen);
        Assert.Equal(4, pages);

        async Task<List<Guid>> IdsAsync(string filter) =>
            (await JsonAsync(await anna.GetAsync($"/api/v1/tasks?{q}&{filter}"))).GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList();

        Assert.Equal([done.Id], await IdsAsync("status=done"));
        Assert.Equal(8, (await IdsAsync("status=all")).Count);
        Assert.Equal([overdue.Id], await IdsAsync("overdue=true"));
        Assert.Equal([ids[0]], await IdsAsync("kind=meeting"));
        Assert.Equal([linked.Id], await IdsAsync("linkKind=company"));
        Assert.Equal([linked.Id], await IdsAsync($"linkId={company.Id}"));
        Assert.Equal([overdue.Id, .. ids], await IdsAsync("linkKind=none"));
        Assert.Equal([ids[1], ids[2]], await IdsAsync($"dueFrom={Uri.EscapeDataString(now.AddDays(1.5).ToString("O"))}&dueTo={Uri.EscapeDataString(now.AddDays(3.5).ToString("O"))}"));

        var bad = await anna.GetAsync("/api/v1/tasks?cursor=garbage&limit=500&status=later&kind=urgent&dueFrom=soon");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await JsonAsync(bad)).GetProperty("errors");
        foreach (var field in new[] { "cursor", "limit", "status", "kind", "dueFrom" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }
    }
}
