using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Automation.Data;
using Crm.Automation.Domain;
using Crm.Deals.Domain;
using Crm.Tasks.Data;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Automation;

/// <summary>
/// The scenario admin pages and /api/v1/scenarios: a valid scenario saved through the form, each kind of mistake
/// shown next to its field, a stale version keeping the input, a dry run of the form as typed and over the API
/// changing nothing, the API's CRUD with problem details, and a manager refused on every route. No Hangfire
/// server: a saved scenario does not run here. The demo users read Russian (their profiles).
/// </summary>
public sealed class ScenarioPagesAndApiTests(CrmApp app) : IClassFixture<CrmApp>
{
    private const string Hook = "http://127.0.0.1:9/hook";

    [Fact]
    public async Task A_valid_scenario_saved_through_the_form_is_listed_with_its_trigger_in_words_and_runs_as_the_admin()
    {
        var services = await DealsData.PipelineAsync(app, 1);
        var stage = services.Stages[2];
        var admin = await app.SignInAsync(CrmApp.Admin);
        var name = "Смета " + Guid.NewGuid().ToString("N")[..6];

        var response = await CrmApp.PostFormAsync(admin, "/admin/scenarios/new", "/admin/scenarios/new", ValidForm(name, services.Id, stage.Id));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await ScenarioNamedAsync(name);
        Assert.Equal(TriggerKinds.StageEntered, saved.Trigger);
        Assert.Equal(stage.Id, saved.StageId);
        Assert.Equal((await DealsData.UserAsync(app, CrmApp.Admin)).Id, saved.RunAsUserId);
        Assert.Collection(saved.Actions,
            task =>
            {
                Assert.Equal(ActionKinds.CreateTask, task.Kind);
                Assert.Equal("+1d 10:00", task.DueOffset);
                Assert.Null(task.Url);
            },
            hook => Assert.Equal(Hook, hook.Url));
        Assert.Equal([new ScenarioCondition("deal.amount", ConditionOperators.Greater, "1000")], saved.Conditions);

        var list = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/scenarios?pipeline={services.Id}"));
        Assert.Contains(name, list, StringComparison.Ordinal);
        Assert.Contains($"Переход на «{stage.Name}» ({services.Name})", list, StringComparison.Ordinal);
        var goods = await DealsData.PipelineAsync(app, 0);
        Assert.DoesNotContain(name, WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/scenarios?pipeline={goods.Id}")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_mistake_is_shown_next_to_its_field_and_nothing_is_saved()
    {
        var services = await DealsData.PipelineAsync(app, 1);
        var goods = await DealsData.PipelineAsync(app, 0);
        var admin = await app.SignInAsync(CrmApp.Admin);
        var name = "Ошибки " + Guid.NewGuid().ToString("N")[..6];
        var fields = ValidForm(name, services.Id, goods.Stages[1].Id);
        fields["Actions[0].Text"] = "{% if deal.amount > 1 %}без конца";
        fields["Actions[0].DueOffset"] = "tomorrow-ish";
        fields["Actions[1].Url"] = "ftp://example.com/hook";
        fields["Actions[2].Kind"] = ActionKinds.SetField;
        fields["Actions[2].Field"] = "nonsense";
        fields["Actions[3].Kind"] = ActionKinds.Notify;
        fields["Actions[3].Text"] = "Смотри";
        fields["Actions[3].Recipient"] = RecipientRules.Fixed;

        var response = await CrmApp.PostFormAsync(admin, "/admin/scenarios/new", "/admin/scenarios/new", fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"Этого этапа нет в воронке «{services.Name}».", FieldError(html, "scenario-stage"), StringComparison.Ordinal);
        Assert.StartsWith("Ошибка в подстановках:", FieldError(html, "a0-text"), StringComparison.Ordinal);
        Assert.Contains("+1d 10:00", FieldError(html, "a0-dueOffset"), StringComparison.Ordinal);
        Assert.Equal("Введите адрес, начинающийся с http:// или https://.", FieldError(html, "a1-url"));
        Assert.StartsWith("Неизвестное поле", FieldError(html, "a2-field"), StringComparison.Ordinal);
        Assert.Equal("Выберите хотя бы одного пользователя.", FieldError(html, "a3-userIds"));
        // The input stays as typed.
        Assert.Contains("value=\"tomorrow-ish\"", html, StringComparison.Ordinal);
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<AutomationDbContext>().Scenarios.AnyAsync(x => x.Name == name)));

        var empty = new Dictionary<string, string> { ["Name"] = "", ["Trigger"] = TriggerKinds.DealWon, ["command"] = "save" };
        var none = await (await CrmApp.PostFormAsync(admin, "/admin/scenarios/new", "/admin/scenarios/new", empty)).Content.ReadAsStringAsync();
        Assert.Equal("Введите название сценария.", FieldError(none, "scenario-name"));
        Assert.Contains("Добавьте хотя бы одно действие.", WebUtility.HtmlDecode(none), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_save_over_someone_elses_keeps_the_input_and_says_so()
    {
        var services = await DealsData.PipelineAsync(app, 1);
        var scenario = await SaveAsync(services);
        var admin = await app.SignInAsync(CrmApp.Admin);
        var editUrl = $"/admin/scenarios/{scenario.Id}/edit";
        var fields = ValidForm("Моё название", services.Id, services.Stages[2].Id);
        fields["version"] = scenario.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Someone else saves meanwhile.
        await app.WithScopeAsync(s => s.GetRequiredService<AutomationDbContext>().Scenarios.Where(x => x.Id == scenario.Id)
            .ExecuteUpdateAsync(x => x.SetProperty(p => p.Name, "Чужое название")));

        var response = await CrmApp.PostFormAsync(admin, editUrl, editUrl, fields);

        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Кто-то другой уже сохранил этот сценарий.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Моё название\"", html, StringComparison.Ordinal);
        Assert.Equal("Чужое название", (await ReloadAsync(scenario.Id))!.Name);
    }

    [Fact]
    public async Task A_dry_run_of_the_form_as_typed_shows_each_actions_line_and_changes_nothing()
    {
        var services = await DealsData.PipelineAsync(app, 1);
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, 0, 1, d => d.Amount = 50_000m);
        var admin = await app.SignInAsync(CrmApp.Admin);
        var name = "Пробный " + Guid.NewGuid().ToString("N")[..6];
        var fields = ValidForm(name, services.Id, services.Stages[2].Id);
        fields["command"] = "dry-run";
        fields["dryRunDeal"] = deal.DisplayNumber;

        var response = await CrmApp.PostFormAsync(admin, "/admin/scenarios/new", "/admin/scenarios/new", fields);

        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Условия выполняются", html, StringComparison.Ordinal);
        var lines = Regex.Matches(html, "<li class=\"list-group-item crm-scenario-dry-line\" data-dry-run-line>(.*?)</li>", RegexOptions.Singleline)
            .Select(m => Regex.Replace(m.Groups[1].Value, "<[^>]+>|\\s+", " ").Trim()).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("Позвонить: " + deal.Title, lines[0], StringComparison.Ordinal);
        Assert.Contains((await DealsData.UserAsync(app, CrmApp.Anna)).FullName, lines[0], StringComparison.Ordinal);
        Assert.Contains(Hook, lines[1], StringComparison.Ordinal);
        await AssertUntouchedAsync(deal.Id);
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<AutomationDbContext>().Scenarios.AnyAsync(x => x.Name == name)));

        // A condition that does not hold says so; an unknown deal goes next to its field.
        fields["Conditions[0].Value"] = "1000000";
        var skipped = WebUtility.HtmlDecode(await (await CrmApp.PostFormAsync(admin, "/admin/scenarios/new", "/admin/scenarios/new", fields)).Content.ReadAsStringAsync());
        Assert.Contains("Условие не выполняется: deal.amount больше 1000000", skipped, StringComparison.Ordinal);
        fields["dryRunDeal"] = "2099-99999";
        var unknown = await (await CrmApp.PostFormAsync(admin, "/admin/scenarios/new", "/admin/scenarios/new", fields)).Content.ReadAsStringAsync();
        Assert.Equal("Сделка «2099-99999» не найдена.", FieldError(unknown, "dry-run-deal"));
    }

    [Fact]
    public async Task A_webhook_secret_is_stored_encrypted_never_shown_back_and_kept_when_left_empty_on_edit()
    {
        var services = await DealsData.PipelineAsync(app, 1);
        var admin = await app.SignInAsync(CrmApp.Admin);
        var name = "Секрет " + Guid.NewGuid().ToString("N")[..6];
        var first = "first-" + Guid.NewGuid().ToString("N");
        var fields = ValidForm(name, services.Id, services.Stages[2].Id);
        fields["Actions[1].Secret"] = first;

        Assert.Equal(HttpStatusCode.Redirect, (await CrmApp.PostFormAsync(admin, "/admin/scenarios/new", "/admin/scenarios/new", fields)).StatusCode);

        var saved = await ScenarioNamedAsync(name);
        Assert.DoesNotContain(first, await RawActionsAsync(saved.Id), StringComparison.Ordinal);
        Assert.Null(saved.Actions[1].Secret);
        Assert.Equal(first, await SecretOfAsync(saved.Id));

        // The form shows neither the secret nor its cipher, and says one is set.
        var editUrl = $"/admin/scenarios/{saved.Id}/edit";
        var form = WebUtility.HtmlDecode(await admin.GetStringAsync(editUrl));
        Assert.DoesNotContain(first, form, StringComparison.Ordinal);
        Assert.DoesNotContain(saved.Actions[1].SecretCipher!, form, StringComparison.Ordinal);
        Assert.Contains("Секрет задан и хранится зашифрованным. Оставьте поле пустым, чтобы сохранить его; введите новый, чтобы заменить.", form, StringComparison.Ordinal);

        // Saved again without typing it: kept. A new value replaces it.
        fields["Actions[1].Secret"] = "";
        fields["Name"] = name + " 2";
        fields["version"] = saved.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Redirect, (await CrmApp.PostFormAsync(admin, editUrl, editUrl, fields)).StatusCode);
        Assert.Equal(first, await SecretOfAsync(saved.Id));
        var second = "second-" + Guid.NewGuid().ToString("N");
        fields["Actions[1].Secret"] = second;
        fields["version"] = (await ReloadAsync(saved.Id))!.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Redirect, (await CrmApp.PostFormAsync(admin, editUrl, editUrl, fields)).StatusCode);
        Assert.Equal(second, await SecretOfAsync(saved.Id));
        Assert.DoesNotContain(second, await RawActionsAsync(saved.Id), StringComparison.Ordinal);

        // The API says a secret is set and never returns it; a PATCH of the actions without one keeps it.
        var api = await app.ApiClientAsync(CrmApp.Admin);
        var got = await api.GetStringAsync($"/api/v1/scenarios/{saved.Id}");
        Assert.DoesNotContain(second, got, StringComparison.Ordinal);
        var hook = JsonDocument.Parse(got).RootElement.GetProperty("actions")[1];
        Assert.True(hook.GetProperty("secretSet").GetBoolean());
        Assert.False(hook.TryGetProperty("secret", out _));
        Assert.False(hook.TryGetProperty("secretCipher", out _));
        var actions = new object[]
        {
            new { kind = "create_task", text = "Позвонить", taskKind = "call", recipient = "owner" },
            new { kind = "webhook", url = Hook },
        };
        var patched = await api.PatchAsync($"/api/v1/scenarios/{saved.Id}", Body(new { actions }));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(second, await SecretOfAsync(saved.Id));
        Assert.DoesNotContain(second, await patched.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // removeSecret drops it: the webhook is called unsigned.
        var removed = await api.PatchAsync($"/api/v1/scenarios/{saved.Id}", Body(new { actions = new object[] { actions[0], new { kind = "webhook", url = Hook, removeSecret = true } } }));
        Assert.False((await removed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("actions")[1].GetProperty("secretSet").GetBoolean());
        Assert.Null(await SecretOfAsync(saved.Id));
    }

    private Task<string> RawActionsAsync(Guid id) =>
        app.WithScopeAsync(s => s.GetRequiredService<AutomationDbContext>().Database
            .SqlQuery<string>($"SELECT actions::text AS \"Value\" FROM automation.scenarios WHERE id = {id}").SingleAsync());

    private async Task<string?> SecretOfAsync(Guid id)
    {
        var cipher = (await ReloadAsync(id))!.Actions.Single(a => a.Kind == ActionKinds.Webhook).SecretCipher;
        return cipher is null ? null : app.Services.GetRequiredService<Crm.Automation.Running.WebhookSecrets>().Unprotect(cipher);
    }

    [Fact]
    public async Task A_manager_gets_no_scenario_page_and_a_403_on_every_api_route()
    {
        var services = await DealsData.PipelineAsync(app, 1);
        var scenario = await SaveAsync(services);
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, 0, 1);
        var anna = await app.SignInAsync(CrmApp.Anna);

        foreach (var url in new[] { "/admin/scenarios", "/admin/scenarios/new", $"/admin/scenarios/{scenario.Id}/edit" })
        {
            var response = await anna.GetAsync(url);
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Forbidden or HttpStatusCode.NotFound, url + ": " + response.StatusCode);
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.Contains("/account/denied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
            }
        }

        var form = ValidForm("Взлом", services.Id, services.Stages[2].Id);
        foreach (var post in new[] { "/admin/scenarios/new", $"/admin/scenarios/{scenario.Id}/edit", $"/admin/scenarios/{scenario.Id}/delete", $"/admin/scenarios/{scenario.Id}/active" })
        {
            var response = await CrmApp.PostFormAsync(anna, "/tasks", post, new Dictionary<string, string>(form) { ["active"] = "false" });
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.StatusCode == HttpStatusCode.Redirect && !response.Headers.Location!.ToString().Contains("/account/denied", StringComparison.Ordinal), post);
        }

        var unchanged = await ReloadAsync(scenario.Id);
        Assert.NotNull(unchanged);
        Assert.Equal(scenario.Name, unchanged.Name);
        Assert.True(unchanged.IsActive);
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<AutomationDbContext>().Scenarios.AnyAsync(x => x.Name == "Взлом")));

        var api = await app.ApiClientAsync(CrmApp.Anna);
        var calls = new Func<Task<HttpResponseMessage>>[]
        {
            () => api.GetAsync("/api/v1/scenarios"),
            () => api.GetAsync($"/api/v1/scenarios/{scenario.Id}"),
            () => api.PostAsync("/api/v1/scenarios", Body(ValidBody("Взлом", services.Id, services.Stages[2].Id))),
            () => api.PatchAsync($"/api/v1/scenarios/{scenario.Id}", Body(new { name = "Взлом" })),
            () => api.DeleteAsync($"/api/v1/scenarios/{scenario.Id}"),
            () => api.PostAsync($"/api/v1/scenarios/{scenario.Id}/dry-run", Body(new { dealId = deal.Id })),
        };
        foreach (var call in calls)
        {
            var response = await call();
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(scenario.Name, (await ReloadAsync(scenario.Id))!.Name);
    }

    [Fact]
    public async Task The_api_creates_reads_changes_and_deletes_a_scenario_with_problem_details_for_mistakes()
    {
        var services = await DealsData.PipelineAsync(app, 1);
        var goods = await DealsData.PipelineAsync(app, 0);
        var api = await app.ApiClientAsync(CrmApp.Admin);
        var name = "API " + Guid.NewGuid().ToString("N")[..6];

        var created = await api.PostAsync("/api/v1/scenarios", Body(ValidBody(name, services.Id, services.Stages[2].Id)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var dto = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = dto.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/scenarios/{id}", created.Headers.Location!.ToString());
        Assert.Equal(2, dto.GetProperty("actions").GetArrayLength());

        var got = await api.GetAsync($"/api/v1/scenarios/{id}");
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        var etag = got.Headers.ETag!.Tag;
        Assert.Contains(await api.GetFromJsonAsync<JsonElement[]>($"/api/v1/scenarios?pipelineId={services.Id}") ?? [], s => s.GetProperty("id").GetGuid() == id);
        Assert.DoesNotContain(await api.GetFromJsonAsync<JsonElement[]>($"/api/v1/scenarios?pipelineId={goods.Id}") ?? [], s => s.GetProperty("id").GetGuid() == id);

        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/scenarios/{id}") { Content = Body(new { name = name + " 2", isActive = false }) };
        patch.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(etag));
        var patched = await api.SendAsync(patch);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var after = await patched.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(name + " 2", after.GetProperty("name").GetString());
        Assert.False(after.GetProperty("isActive").GetBoolean());
        Assert.Equal(2, after.GetProperty("actions").GetArrayLength());

        // The old ETag is stale now.
        var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/scenarios/{id}") { Content = Body(new { name = "Старое" }) };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(etag));
        var conflict = await api.SendAsync(stale);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);

        var wrong = await api.PatchAsync($"/api/v1/scenarios/{id}", Body(new
        {
            stageId = goods.Stages[1].Id,
            actions = new object[]
            {
                new { kind = "create_task", text = "{{ deal.title", taskKind = "call", recipient = "owner", dueOffset = "soon" },
                new { kind = "webhook", url = "not a url" },
            },
            colour = "red",
        }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        var problem = await wrong.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("colour", out _), problem.ToString());
        var typed = await api.PatchAsync($"/api/v1/scenarios/{id}", Body(new
        {
            stageId = goods.Stages[1].Id,
            actions = new object[]
            {
                new { kind = "create_task", text = "{% if x %}", taskKind = "call", recipient = "owner", dueOffset = "soon" },
                new { kind = "webhook", url = "not a url" },
            },
        }));
        var typedErrors = (await typed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var key in new[] { "stageId", "actions[0].text", "actions[0].dueOffset", "actions[1].url" })
        {
            Assert.True(typedErrors.TryGetProperty(key, out _), key + ": " + typedErrors);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync("/api/v1/scenarios", new StringContent("[1]", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.PostAsync("/api/v1/scenarios", Body(new { name = "Пусто", trigger = "deal_won", actions = Array.Empty<object>() }))).StatusCode);
        Assert.Equal(name + " 2", (await ReloadAsync(id))!.Name);

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/scenarios/{id}")).StatusCode);
        var gone = await api.GetAsync($"/api/v1/scenarios/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_api_dry_run_says_what_each_action_would_do_and_changes_nothing()
    {
        var services = await DealsData.PipelineAsync(app, 1);
        var scenario = await SaveAsync(services);
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, 0, 1, d => d.Amount = 50_000m);
        var api = await app.ApiClientAsync(CrmApp.Admin);

        var response = await api.PostAsync($"/api/v1/scenarios/{scenario.Id}/dry-run", Body(new { dealId = deal.Id }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(result.GetProperty("conditionsHold").GetBoolean());
        var actions = result.GetProperty("actions");
        Assert.Contains(deal.Title, actions[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.True(actions[1].GetProperty("wouldRun").GetBoolean());
        await AssertUntouchedAsync(deal.Id);

        var unknown = await api.PostAsync($"/api/v1/scenarios/{scenario.Id}/dry-run", Body(new { dealId = Guid.NewGuid() }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.True((await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("dealId", out _));
    }

    private static Dictionary<string, string> ValidForm(string name, Guid pipelineId, Guid stageId) => new()
    {
        ["Name"] = name,
        ["Trigger"] = TriggerKinds.StageEntered,
        ["PipelineId"] = pipelineId.ToString(),
        ["StageId"] = stageId.ToString(),
        ["IsActive"] = "true",
        ["Conditions[0].Field"] = "deal.amount",
        ["Conditions[0].Operator"] = ConditionOperators.Greater,
        ["Conditions[0].Value"] = "1000",
        ["Actions[0].Kind"] = ActionKinds.CreateTask,
        ["Actions[0].Text"] = "Позвонить: {{ deal.title }}",
        ["Actions[0].TaskKind"] = "call",
        ["Actions[0].Recipient"] = RecipientRules.Owner,
        ["Actions[0].DueOffset"] = "+1d 10:00",
        ["Actions[0].DelayMinutes"] = "0",
        // Fields of other kinds that a row carries are dropped on save.
        ["Actions[0].Url"] = "https://ignored.example.com",
        ["Actions[1].Kind"] = ActionKinds.Webhook,
        ["Actions[1].Url"] = Hook,
        ["Actions[1].Secret"] = "s3cret",
        ["Actions[1].DelayMinutes"] = "0",
        ["command"] = "save",
    };

    private static object ValidBody(string name, Guid pipelineId, Guid stageId) => new
    {
        name,
        trigger = TriggerKinds.StageEntered,
        pipelineId,
        stageId,
        conditions = new[] { new { field = "deal.amount", @operator = "gt", value = "1000" } },
        actions = new object[]
        {
            new { kind = "create_task", text = "Позвонить: {{ deal.title }}", taskKind = "call", recipient = "owner", dueOffset = "+1d 10:00" },
            new { kind = "webhook", url = Hook, secret = "s3cret" },
        },
    };

    private static StringContent Body(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>The message next to the input with this id (the span the form puts after it), decoded; fails when the input is not marked invalid.</summary>
    private static string FieldError(string html, string inputId)
    {
        var match = Regex.Match(html, $"id=\"{Regex.Escape(inputId)}\"[^>]*?class=\"[^\"]*is-invalid[^\"]*\"[\\s\\S]*?<span class=\"field-validation-error[^\"]*\">([^<]*)</span>");
        Assert.True(match.Success, $"No error next to #{inputId}.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private async Task<Scenario> SaveAsync(Pipeline pipeline)
    {
        var admin = await DealsData.UserAsync(app, CrmApp.Admin);
        var scenario = new Scenario
        {
            Id = Guid.CreateVersion7(),
            Name = "Сохранённый " + Guid.NewGuid().ToString("N")[..6],
            Trigger = TriggerKinds.StageEntered,
            PipelineId = pipeline.Id,
            StageId = pipeline.Stages[2].Id,
            Actions =
            [
                new ScenarioAction { Kind = ActionKinds.CreateTask, TaskKind = "call", Text = "Позвонить: {{ deal.title }}", Recipient = RecipientRules.Owner, DueOffset = "+1d 10:00" },
                new ScenarioAction { Kind = ActionKinds.Webhook, Url = Hook },
            ],
            RunAsUserId = admin.Id,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<AutomationDbContext>();
            db.Scenarios.Add(scenario);
            await db.SaveChangesAsync();
        });
        return scenario;
    }

    private Task<Scenario?> ReloadAsync(Guid id) =>
        app.WithScopeAsync(s => s.GetRequiredService<AutomationDbContext>().Scenarios.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id));

    private Task<Scenario> ScenarioNamedAsync(string name) =>
        app.WithScopeAsync(s => s.GetRequiredService<AutomationDbContext>().Scenarios.AsNoTracking().SingleAsync(x => x.Name == name));

    private async Task AssertUntouchedAsync(Guid dealId)
    {
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<TasksDbContext>().Tasks.AnyAsync(t => t.LinkId == dealId)));
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<AutomationDbContext>().Runs.AnyAsync(r => r.DealId == dealId)));
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<AutomationDbContext>().ActionRuns.AnyAsync(a => a.DealId == dealId)));
    }
}
