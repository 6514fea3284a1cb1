using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Deals;

/// <summary>The deals API: the same transition answers as the mover, versions, validation, scopes on every route.</summary>
public sealed class DealsApiTests(CrmApp app) : IClassFixture<CrmApp>
{
    // Goods sale: 0 initial interest, 1 proposal, 2 negotiation, 3 proposal approved (requires amount),
    // 4 invoice sent (amount, payment form), 5 paid, 6 shipped (won, delivery), 7 paused, 8 lost.
    private async Task<(Pipeline Pipeline, Deal Deal)> NewDealAsync(int stage = 0, bool allowBack = true, string owner = CrmApp.Anna)
    {
        var pipeline = await DealsData.PipelineAsync(app);
        await DealsData.SetPipelineAsync(app, pipeline.Id, TransitionMode.InOrder, allowBack);
        return (pipeline, await DealsData.CreateAsync(app, owner, stage));
    }

    private static Task<HttpResponseMessage> MoveAsync(HttpClient client, Guid dealId, object body) =>
        client.PostAsJsonAsync($"/api/v1/deals/{dealId}/move", body);

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task The_next_stage_is_taken_and_a_skip_is_refused_with_the_reason_in_the_callers_language()
    {
        var (pipeline, deal) = await NewDealAsync();
        var english = await app.ApiClientAsync(CrmApp.Anna, "en");
        var russian = await app.ApiClientAsync(CrmApp.Anna, "ru");

        var skipEn = await MoveAsync(english, deal.Id, new { stageId = pipeline.Stages[2].Id });
        var skipRu = await MoveAsync(russian, deal.Id, new { stageId = pipeline.Stages[2].Id });

        Assert.Equal((HttpStatusCode)422, skipEn.StatusCode);
        Assert.Equal("application/problem+json", skipEn.Content.Headers.ContentType!.MediaType);
        Assert.Contains("one stage at a time", (await JsonAsync(skipEn)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("только на следующую стадию", (await JsonAsync(skipRu)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var next = await MoveAsync(english, deal.Id, new { stageId = pipeline.Stages[1].Id });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        var moved = await JsonAsync(next);
        Assert.Equal(pipeline.Stages[1].Id, moved.GetProperty("stageId").GetGuid());
        Assert.NotEqual(deal.Version, moved.GetProperty("version").GetUInt32());
        Assert.Equal(2, (await DealsData.HistoryAsync(app, deal.Id)).Count);
    }

    [Fact]
    public async Task A_stage_of_another_pipeline_is_refused_unless_the_pipeline_change_is_asked_for_and_then_recorded()
    {
        var (_, deal) = await NewDealAsync();
        var services = await DealsData.PipelineAsync(app, 1);
        var client = await app.ApiClientAsync(CrmApp.Anna);

        var refused = await MoveAsync(client, deal.Id, new { stageId = services.Stages[1].Id });
        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        Assert.Contains("another pipeline", (await JsonAsync(refused)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var moved = await MoveAsync(client, deal.Id, new { stageId = services.Stages[1].Id, changePipeline = true });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(services.Id, (await JsonAsync(moved)).GetProperty("pipelineId").GetGuid());
        var history = await DealsData.HistoryAsync(app, deal.Id);
        Assert.Equal(services.Id, history[^1].PipelineId);
        Assert.Equal(MoveChannels.PipelineChange, history[^1].Channel);
        Assert.NotNull(history[0].LeftAt);
    }

    [Fact]
    public async Task A_lost_stage_without_a_reason_answers_422_with_the_missing_field_then_takes_it()
    {
        var (pipeline, deal) = await NewDealAsync();
        var lost = pipeline.Stages.Single(s => s.Kind == StageKind.Lost);
        var anna = await app.ApiClientAsync(CrmApp.Anna);

        var asked = await MoveAsync(anna, deal.Id, new { stageId = lost.Id });

        Assert.Equal((HttpStatusCode)422, asked.StatusCode);
        var problem = await JsonAsync(asked);
        var missing = Assert.Single(problem.GetProperty("missingFields").EnumerateArray());
        Assert.Equal("lossReason", missing.GetProperty("key").GetString());
        Assert.Equal("select", missing.GetProperty("input").GetString());
        var reason = missing.GetProperty("options")[0].GetProperty("value").GetString();

        var moved = await MoveAsync(anna, deal.Id, new { stageId = lost.Id, lossReasonId = reason, lossComment = "Дорого" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(reason, (await JsonAsync(moved)).GetProperty("lossReasonId").GetString());
    }

    [Fact]
    public async Task A_stage_that_requires_fields_answers_422_then_200_with_the_fields()
    {
        var (pipeline, deal) = await NewDealAsync(stage: 2);
        var anna = await app.ApiClientAsync(CrmApp.Anna);

        var asked = await MoveAsync(anna, deal.Id, new { stageId = pipeline.Stages[3].Id });
        Assert.Equal((HttpStatusCode)422, asked.StatusCode);
        Assert.Equal(["amount"], (await JsonAsync(asked)).GetProperty("missingFields").EnumerateArray().Select(m => m.GetProperty("key").GetString()));

        var wrong = await MoveAsync(anna, deal.Id, new { stageId = pipeline.Stages[3].Id, fields = new { amount = "lots" } });
        Assert.Equal((HttpStatusCode)422, wrong.StatusCode);
        Assert.True((await JsonAsync(wrong)).GetProperty("errors").TryGetProperty("amount", out _));

        var moved = await MoveAsync(anna, deal.Id, new { stageId = pipeline.Stages[3].Id, fields = new { amount = 150000.5 } });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(150000.5m, (await JsonAsync(moved)).GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task Going_back_is_refused_when_the_pipeline_does_not_allow_it()
    {
        var (pipeline, deal) = await NewDealAsync(stage: 2, allowBack: false);
        var anna = await app.ApiClientAsync(CrmApp.Anna);

        var refused = await MoveAsync(anna, deal.Id, new { stageId = pipeline.Stages[1].Id });

        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        Assert.Contains("back", (await JsonAsync(refused)).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(pipeline.Stages[2].Id, (await DealsData.ReloadAsync(app, deal.Id)).StageId);
    }

    [Fact]
    public async Task An_admin_forces_a_move_and_it_is_audited_but_a_manager_gets_403()
    {
        var (pipeline, deal) = await NewDealAsync();
        var anna = await app.ApiClientAsync(CrmApp.Anna);
        var admin = await app.ApiClientAsync(CrmApp.Admin);

        var byManager = await MoveAsync(anna, deal.Id, new { stageId = pipeline.Stages[5].Id, force = true });
        var byAdmin = await MoveAsync(admin, deal.Id, new { stageId = pipeline.Stages[5].Id, force = true });

        Assert.Equal(HttpStatusCode.Forbidden, byManager.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        var forced = await app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().AuditLog.AsNoTracking()
            .Where(a => a.DealId == deal.Id && a.Action == "forced").ToListAsync());
        Assert.Single(forced);
        Assert.Contains("(api)", forced[0].Summary, StringComparison.Ordinal);
        Assert.True((await DealsData.HistoryAsync(app, deal.Id)).Last().Forced);
    }

    [Fact]
    public async Task A_stale_version_is_a_409_in_the_body_and_in_if_match_for_move_and_patch()
    {
        var (pipeline, deal) = await NewDealAsync();
        var anna = await app.ApiClientAsync(CrmApp.Anna);
        var read = await anna.GetAsync($"/api/v1/deals/{deal.Id}");
        var seen = (await JsonAsync(read)).GetProperty("version").GetUInt32();
        Assert.Equal($"\"{seen}\"", read.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(anna, deal.Id, new { stageId = pipeline.Stages[1].Id, version = seen })).StatusCode);

        var staleBody = await MoveAsync(anna, deal.Id, new { stageId = pipeline.Stages[2].Id, version = seen });
        var staleHeader = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/deals/{deal.Id}/move") { Content = JsonContent.Create(new { stageId = pipeline.Stages[2].Id }) };
        staleHeader.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{seen}\""));
        var staleHeaderResponse = await anna.SendAsync(staleHeader);
        var patchBody = await anna.PatchAsJsonAsync($"/api/v1/deals/{deal.Id}", new { title = "Устарело", version = seen });
        var patchHeader = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/deals/{deal.Id}") { Content = JsonContent.Create(new { title = "Устарело" }) };
        patchHeader.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{seen}\""));
        var patchHeaderResponse = await anna.SendAsync(patchHeader);

        Assert.Equal(HttpStatusCode.Conflict, staleBody.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, staleHeaderResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, patchBody.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, patchHeaderResponse.StatusCode);
        var saved = await DealsData.ReloadAsync(app, deal.Id);
        Assert.Equal(pipeline.Stages[1].Id, saved.StageId);
        Assert.NotEqual("Устарело", saved.Title);

        // The current version goes through.
        var current = (await JsonAsync(await anna.GetAsync($"/api/v1/deals/{deal.Id}"))).GetProperty("version").GetUInt32();
        var ok = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/deals/{deal.Id}") { Content = JsonContent.Create(new { title = "Свежая версия" }) };
        ok.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{current}\""));
        Assert.Equal(HttpStatusCode.OK, (await anna.SendAsync(ok)).StatusCode);
    }

    [Fact]
    public async Task A_deal_is_created_with_line_items_patched_partly_and_deleted_with_an_audit_line()
    {
        var pipeline = await DealsData.PipelineAsync(app);
        var anna = await app.ApiClientAsync(CrmApp.Anna);

        var created = await anna.PostAsJsonAsync("/api/v1/deals", new
        {
            title = "Поставка станков",
            pipelineId = pipeline.Id,
            expectedClose = "2026-12-31",
            source = "Referral",
            items = new[] { new { name = "Станок", quantity = 2m, price = 100_000m, vatRate = 20m }, new { name = "Доставка", quantity = 1m, price = 5_000m, vatRate = 20m } },
        });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var deal = await JsonAsync(created);
        var id = deal.GetProperty("id").GetGuid();
        Assert.Equal(205_000m, deal.GetProperty("amount").GetDecimal());
        Assert.Equal(pipeline.Stages[0].Id, deal.GetProperty("stageId").GetGuid());
        Assert.Equal(2, deal.GetProperty("items").GetArrayLength());
        Assert.True(deal.GetProperty("version").GetUInt32() > 0);
        Assert.Equal($"/api/v1/deals/{id}", created.Headers.Location!.OriginalString);

        var patched = await anna.PatchAsJsonAsync($"/api/v1/deals/{id}", new { probability = 40, expectedClose = (string?)null });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var after = await JsonAsync(patched);
        Assert.Equal(40, after.GetProperty("probability").GetInt32());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("expectedClose").ValueKind);
        Assert.Equal("Поставка станков", after.GetProperty("title").GetString());
        Assert.Equal("Referral", after.GetProperty("source").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await anna.DeleteAsync($"/api/v1/deals/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/api/v1/deals/{id}")).StatusCode);
        var actions = await app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().AuditLog.AsNoTracking().Where(a => a.DealId == id).Select(a => a.Action).ToListAsync());
        Assert.Contains("created", actions);
        Assert.Contains("changed", actions);
        Assert.Contains("deleted", actions);
    }

    [Fact]
    public async Task Invalid_input_answers_a_validation_problem_keyed_by_field_and_never_a_500()
    {
        var pipeline = await DealsData.PipelineAsync(app);
        var anna = await app.ApiClientAsync(CrmApp.Anna, "ru");

        var response = await anna.PostAsJsonAsync("/api/v1/deals", new
        {
            title = "", amount = -5, source = "Nope", expectedClose = "soon", companyId = Guid.NewGuid(), currency = "рубли", probability = 140,
            items = new[] { new { name = "", quantity = 0m, price = -1m } },
        });
        var requiredStage = await anna.PostAsJsonAsync("/api/v1/deals", new { title = "Сразу в согласование", stageId = pipeline.Stages[3].Id });
        var closedStage = await anna.PostAsJsonAsync("/api/v1/deals", new { title = "Сразу выиграна", stageId = pipeline.Stages[6].Id });
        var wrongType = await anna.PostAsJsonAsync("/api/v1/deals", new { title = "Тип", amount = "много" });
        var malformed = await anna.PostAsync("/api/v1/deals", new StringContent("{\"title\": ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await JsonAsync(response)).GetProperty("errors");
        Assert.Equal("Введите название сделки.", errors.GetProperty("title")[0].GetString());
        foreach (var field in new[] { "expectedClose", "source", "companyId", "currency", "probability", "items[0].name", "items[0].quantity", "items[0].price" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        Assert.Equal(HttpStatusCode.BadRequest, requiredStage.StatusCode);
        Assert.True((await JsonAsync(requiredStage)).GetProperty("errors").TryGetProperty("amount", out _));
        Assert.Equal(HttpStatusCode.BadRequest, closedStage.StatusCode);
        Assert.True((await JsonAsync(closedStage)).GetProperty("errors").TryGetProperty("stageId", out _));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.True((await JsonAsync(wrongType)).GetProperty("errors").TryGetProperty("amount", out _));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        var (_, deal) = await NewDealAsync();
        var patch = await anna.PatchAsJsonAsync($"/api/v1/deals/{deal.Id}", new { stageId = pipeline.Stages[1].Id, title = new string('x', 301) });
        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        var patchErrors = (await JsonAsync(patch)).GetProperty("errors");
        Assert.Contains("/move", patchErrors.GetProperty("stageId")[0].GetString(), StringComparison.Ordinal);
        Assert.True(patchErrors.TryGetProperty("title", out _));
        Assert.Equal(pipeline.Stages[0].Id, (await DealsData.ReloadAsync(app, deal.Id)).StageId);
    }

    [Fact]
    public async Task A_manager_may_not_give_a_new_deal_to_a_colleague()
    {
        var anna = await app.ApiClientAsync(CrmApp.Anna);
        var ivan = await DealsData.UserAsync(app, CrmApp.Ivan);

        var response = await anna.PostAsJsonAsync("/api/v1/deals", new { title = "Чужому", ownerId = ivan.Id });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty("ownerId", out _));
    }

    [Fact]
    public async Task Another_managers_deal_is_not_found_through_any_route_and_not_listed()
    {
        var (pipeline, deal) = await NewDealAsync();
        var ivan = await app.ApiClientAsync(CrmApp.Ivan);

        Assert.Equal(HttpStatusCode.NotFound, (await ivan.GetAsync($"/api/v1/deals/{deal.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ivan.PatchAsJsonAsync($"/api/v1/deals/{deal.Id}", new { title = "Взлом" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ivan.DeleteAsync($"/api/v1/deals/{deal.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await MoveAsync(ivan, deal.Id, new { stageId = pipeline.Stages[1].Id })).StatusCode);
        var list = await ivan.GetFromJsonAsync<JsonElement>("/api/v1/deals?q=" + Uri.EscapeDataString(deal.Title));
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());

        var saved = await DealsData.ReloadAsync(app, deal.Id);
        Assert.Equal(deal.Title, saved.Title);
        Assert.Null(saved.DeletedAt);
        var anna = await app.ApiClientAsync(CrmApp.Anna);
        Assert.Equal(1, (await anna.GetFromJsonAsync<JsonElement>("/api/v1/deals?q=" + Uri.EscapeDataString(deal.Title))).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_list_pages_by_cursor_newest_first_and_rejects_a_bad_cursor_or_filter()
    {
        var token = "Курсор" + Guid.NewGuid().ToString("N")[..6];
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => d.Title = $"{token} {i}")).Id);
        }

        var anna = await app.ApiClientAsync(CrmApp.Anna);
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await anna.GetFromJsonAsync<JsonElement>($"/api/v1/deals?q={Uri.EscapeDataString(token)}&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(ids), seen);
        var bad = await anna.GetAsync("/api/v1/deals?cursor=nonsense&limit=500&createdFrom=yesterday&cf.nosuchfield=1&stalled=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await JsonAsync(bad)).GetProperty("errors");
        foreach (var field in new[] { "cursor", "limit", "createdFrom", "cf.nosuchfield", "stalled" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task Pipelines_and_loss_reasons_are_read_with_their_rules()
    {
        var anna = await app.ApiClientAsync(CrmApp.Anna);

        var pipelines = await anna.GetFromJsonAsync<JsonElement>("/api/v1/pipelines");
        var first = pipelines[0];
        var one = await anna.GetFromJsonAsync<JsonElement>($"/api/v1/pipelines/{first.GetProperty("id").GetGuid()}");
        var reasons = await anna.GetFromJsonAsync<JsonElement>("/api/v1/loss-reasons");

        Assert.Equal(2, pipelines.GetArrayLength());
        Assert.Equal(first.GetProperty("name").GetString(), one.GetProperty("name").GetString());
        var stages = one.GetProperty("stages").EnumerateArray().ToList();
        Assert.Equal(9, stages.Count);
        Assert.Equal(["amount"], stages[3].GetProperty("requiredFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("Lost", stages[8].GetProperty("kind").GetString());
        Assert.True(stages[7].GetProperty("isPause").GetBoolean());
        Assert.True(one.TryGetProperty("mode", out _));
        Assert.True(one.TryGetProperty("allowBack", out _));
        Assert.Equal("RUB", one.GetProperty("currency").GetString());
        Assert.True(reasons.GetArrayLength() > 0);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/api/v1/pipelines/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/pipelines")).StatusCode);
    }
}
