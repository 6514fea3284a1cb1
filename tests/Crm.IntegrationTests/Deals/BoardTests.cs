using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Deals.Domain;
using Crm.SharedKernel.Text;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Deals;

/// <summary>The app with a clock the tests move forward (stalled deals).</summary>
public sealed class BoardApp : CrmApp
{
    public MovableClock Clock { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>
/// The board of a pipeline: columns with counts and sums, cards within the scope and the filters (also in
/// the "more" partial), and the move a dropped card posts: moved, refused in the user's language,
/// needs fields, conflict, not found for a colleague's deal. Demo users work in Russian (their profile).
/// </summary>
public sealed class BoardTests(BoardApp app) : IClassFixture<BoardApp>
{
    // Goods sale: 0 initial interest (7 days), 1 proposal, 2 negotiation, 3 proposal approved (requires amount),
    // 4 invoice sent, 5 paid, 6 shipped (won), 7 paused, 8 lost.
    private static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru-RU");

    private async Task<Pipeline> GoodsAsync()
    {
        var pipeline = await DealsData.PipelineAsync(app);
        await DealsData.SetPipelineAsync(app, pipeline.Id, TransitionMode.InOrder, allowBack: true);
        return pipeline;
    }

    private static string Tag() => "board-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task The_board_shows_every_stage_with_its_count_and_sum_in_the_pipeline_currency()
    {
        var pipeline = await GoodsAsync();
        var tag = Tag();
        await DealsData.CreateAsync(app, CrmApp.Anna, 0, configure: d => { d.Title = tag + " one"; d.Amount = 1000m; });
        await DealsData.CreateAsync(app, CrmApp.Anna, 0, configure: d => { d.Title = tag + " two"; d.Amount = 2500m; });
        await DealsData.CreateAsync(app, CrmApp.Anna, 0, configure: d => { d.Title = tag + " dollars"; d.Amount = 700m; d.Currency = "USD"; });
        await DealsData.CreateAsync(app, CrmApp.Anna, 1, configure: d => { d.Title = tag + " proposal"; d.Amount = 400m; });
        var anna = await app.SignInAsync(CrmApp.Anna);

        var html = await anna.GetStringAsync($"/deals/board/{pipeline.Id}?q={tag}");

        Assert.Equal(pipeline.Stages.Select(s => s.Id.ToString()), Regex.Matches(html, "data-column=\"([0-9a-f-]{36})\"").Select(m => m.Groups[1].Value));
        Assert.Contains("Первичный интерес", html, StringComparison.Ordinal);
        var first = Column(html, pipeline.Stages[0].Id);
        Assert.Equal("3", Head(first, "data-count"));
        Assert.Equal(MoneyText.Format(3500m, "RUB", Russian, whole: true), Head(first, "data-sum"));
        Assert.Equal("+ 1 в других валютах", Head(first, "data-other"));
        Assert.Equal(3, Regex.Count(first, "class=\"card crm-deal-card\""));
        var second = Column(html, pipeline.Stages[1].Id);
        Assert.Equal("1", Head(second, "data-count"));
        Assert.Equal(MoneyText.Format(400m, "RUB", Russian, whole: true), Head(second, "data-sum"));
        Assert.Contains(tag + " proposal", second, StringComparison.Ordinal);
        Assert.Equal("0", Head(Column(html, pipeline.Stages[2].Id), "data-count"));
        // The cards: number, title linking the card, amount, the owner's initials.
        Assert.Contains(MoneyText.Format(2500m, "RUB", Russian, whole: true), WebUtility.HtmlDecode(first), StringComparison.Ordinal);
        Assert.Matches(">АП<", first);
        Assert.Matches("href=\"/deals/[0-9a-f-]{36}\"", first);
        Assert.Contains("href=\"/deals/new?pipeline=" + pipeline.Id + "\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/deals/list?", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deals_remembers_the_last_pipeline_looked_at()
    {
        var services = await DealsData.PipelineAsync(app, 1);
        var anna = await app.SignInAsync(CrmApp.Anna);

        Assert.Contains("aria-current=\"page\">Продажа товаров<", await anna.GetStringAsync("/deals"), StringComparison.Ordinal);
        await anna.GetStringAsync($"/deals/board/{services.Id}");

        var html = await anna.GetStringAsync("/deals");
        Assert.Contains($"data-pipeline-id=\"{services.Id}\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/deals/board/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task A_manager_sees_only_own_deals_on_the_board_and_in_the_more_partial()
    {
        var pipeline = await GoodsAsync();
        var tag = Tag();
        var mine = await DealsData.CreateAsync(app, CrmApp.Anna, 2, configure: d => d.Title = tag + " of Anna");
        var his = await DealsData.CreateAsync(app, CrmApp.Ivan, 2, configure: d => d.Title = tag + " of Ivan");
        var anna = await app.SignInAsync(CrmApp.Anna);

        var board = Column(await anna.GetStringAsync($"/deals/board/{pipeline.Id}?q={tag}"), pipeline.Stages[2].Id);
        Assert.Contains(mine.Title, board, StringComparison.Ordinal);
        Assert.DoesNotContain(his.Title, board, StringComparison.Ordinal);
        Assert.Equal("1", Head(board, "data-count"));

        // A cursor ahead of every deal: the partial lists the whole column within the scope.
        var after = DateTimeOffset.UtcNow.AddDays(1).UtcTicks + "_" + Guid.Empty.ToString("N");
        var more = await anna.GetStringAsync($"/deals/board/{pipeline.Id}/stages/{pipeline.Stages[2].Id}?q={tag}&after={after}");
        Assert.Contains(mine.Title, more, StringComparison.Ordinal);
        Assert.DoesNotContain(his.Title, more, StringComparison.Ordinal);

        var head = await app.SignInAsync(CrmApp.Head);
        var department = await head.GetStringAsync($"/deals/board/{pipeline.Id}/stages/{pipeline.Stages[2].Id}?q={tag}&after={after}");
        Assert.Contains(his.Title, department, StringComparison.Ordinal);
        Assert.Contains(mine.Title, department, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_column_shows_its_first_50_cards_newest_arrivals_first_and_the_rest_by_keyset()
    {
        var pipeline = await GoodsAsync();
        var tag = Tag();
        var created = new List<Deal>();
        for (var i = 0; i < 53; i++)
        {
            created.Add(await DealsData.CreateAsync(app, CrmApp.Anna, 5, configure: d => d.Title = $"{tag} {i:D2}"));
        }

        var anna = await app.SignInAsync(CrmApp.Anna);
        var column = Column(await anna.GetStringAsync($"/deals/board/{pipeline.Id}?q={tag}"), pipeline.Stages[5].Id);
        var shown = Titles(column, tag);
        Assert.Equal(50, shown.Count);
        Assert.Equal($"{tag} 52", shown[0]);
        Assert.Equal("53", Head(column, "data-count"));

        var more = Regex.Match(column, "hx-get=\"([^\"]+)\"").Groups[1].Value;
        var next = await anna.GetStringAsync(WebUtility.HtmlDecode(more));
        Assert.Equal([$"{tag} 02", $"{tag} 01", $"{tag} 00"], Titles(next, tag));
        Assert.Contains("hx-swap-oob=\"true\"", next, StringComparison.Ordinal);
        Assert.DoesNotContain("hx-get", next, StringComparison.Ordinal);
        Assert.Equal(created.Count, shown.Concat(Titles(next, tag)).Distinct().Count());
    }

    [Fact]
    public async Task A_move_to_the_next_stage_answers_the_new_card_version_and_the_column_heads()
    {
        var pipeline = await GoodsAsync();
        var tag = Tag();
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, 0, configure: d => { d.Title = tag; d.Amount = 5000m; });
        var anna = await app.SignInAsync(CrmApp.Anna);

        var (status, answer) = await MoveAsync(anna, pipeline, deal.Id, pipeline.Stages[1].Id, deal.Version, $"?q={tag}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("moved", answer.GetProperty("outcome").GetString());
        var version = answer.GetProperty("version").GetUInt32();
        Assert.NotEqual(deal.Version, version);
        Assert.Contains($"data-version=\"{version}\"", answer.GetProperty("card").GetString(), StringComparison.Ordinal);
        var heads = answer.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("stageId").GetGuid());
        Assert.Equal("0", heads[pipeline.Stages[0].Id].GetProperty("count").GetString());
        Assert.Equal("1", heads[pipeline.Stages[1].Id].GetProperty("count").GetString());
        Assert.Equal(MoneyText.Format(5000m, "RUB", Russian, whole: true), heads[pipeline.Stages[1].Id].GetProperty("sum").GetString());
        var history = await DealsData.HistoryAsync(app, deal.Id);
        Assert.Equal(MoveChannels.Board, history[^1].Channel);

        // The version the answer gave is the one the next move needs.
        var (again, _) = await MoveAsync(anna, pipeline, deal.Id, pipeline.Stages[2].Id, version);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(pipeline.Stages[2].Id, (await DealsData.ReloadAsync(app, deal.Id)).StageId);
    }

    [Fact]
    public async Task A_refused_move_answers_the_reason_in_the_users_language_and_changes_nothing()
    {
        var pipeline = await GoodsAsync();
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, 0);
        var anna = await app.SignInAsync(CrmApp.Anna);

        var (status, answer) = await MoveAsync(anna, pipeline, deal.Id, pipeline.Stages[2].Id, deal.Version);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("refused", answer.GetProperty("outcome").GetString());
        Assert.Equal($"В этой воронке сделка переходит только на следующую стадию: следующая — «{pipeline.Stages[1].Name}».", answer.GetProperty("message").GetString());
        Assert.Equal(pipeline.Stages[0].Id, (await DealsData.ReloadAsync(app, deal.Id)).StageId);
        Assert.Single(await DealsData.HistoryAsync(app, deal.Id));
    }

    [Fact]
    public async Task A_stage_that_requires_fields_answers_the_missing_ones_and_takes_them_from_the_dialog()
    {
        var pipeline = await GoodsAsync();
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, 2);
        var anna = await app.SignInAsync(CrmApp.Anna);

        var (status, answer) = await MoveAsync(anna, pipeline, deal.Id, pipeline.Stages[3].Id, deal.Version);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("needsFields", answer.GetProperty("outcome").GetString());
        var missing = Assert.Single(answer.GetProperty("missing").EnumerateArray());
        Assert.Equal("amount", missing.GetProperty("key").GetString());
        Assert.Equal("Сумма", missing.GetProperty("label").GetString());
        Assert.Equal("money", missing.GetProperty("input").GetString());
        var form = answer.GetProperty("form").GetString()!;
        Assert.Contains("name=\"fields[amount]\"", form, StringComparison.Ordinal);
        Assert.Contains("Чтобы перейти в «КП согласовано»", form, StringComparison.Ordinal);

        var (wrong, typo) = await MoveAsync(anna, pipeline, deal.Id, pipeline.Stages[3].Id, deal.Version, fields: new() { ["fields[amount]"] = "много" });
        Assert.Equal(HttpStatusCode.OK, wrong);
        Assert.Equal("Введите сумму больше нуля.", typo.GetProperty("errors").GetProperty("amount").GetString());
        Assert.Contains("value=\"много\"", typo.GetProperty("form").GetString(), StringComparison.Ordinal);

        var (moved, _) = await MoveAsync(anna, pipeline, deal.Id, pipeline.Stages[3].Id, deal.Version, fields: new() { ["fields[amount]"] = "150 000" });
        Assert.Equal(HttpStatusCode.OK, moved);
        var saved = await DealsData.ReloadAsync(app, deal.Id);
        Assert.Equal(150_000m, saved.Amount);
        Assert.Equal(pipeline.Stages[3].Id, saved.StageId);
    }

    [Fact]
    public async Task A_lost_stage_asks_for_a_loss_reason_from_the_list()
    {
        var pipeline = await GoodsAsync();
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, 1);
        var lost = pipeline.Stages.Single(s => s.Kind == StageKind.Lost);
        var anna = await app.SignInAsync(CrmApp.Anna);

        var (_, answer) = await MoveAsync(anna, pipeline, deal.Id, lost.Id, deal.Version);
        Assert.Equal("lossReason", Assert.Single(answer.GetProperty("missing").EnumerateArray()).GetProperty("key").GetString());
        var reason = Regex.Match(answer.GetProperty("form").GetString()!, "<option value=\"([0-9a-f-]{36})\"").Groups[1].Value;

        var (status, _) = await MoveAsync(anna, pipeline, deal.Id, lost.Id, deal.Version, fields: new() { ["lossReasonId"] = reason, ["lossComment"] = "Ушли к конкурентам" });
        Assert.Equal(HttpStatusCode.OK, status);
        var saved = await DealsData.ReloadAsync(app, deal.Id);
        Assert.Equal(Guid.Parse(reason), saved.LossReasonId);
        Assert.Equal("Ушли к конкурентам", saved.LossComment);
    }

    [Fact]
    public async Task A_stale_version_answers_409_and_changes_nothing()
    {
        var pipeline = await GoodsAsync();
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, 0);
        var anna = await app.SignInAsync(CrmApp.Anna);
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(anna, pipeline, deal.Id, pipeline.Stages[1].Id, deal.Version)).Status);

        var (status, answer) = await MoveAsync(anna, pipeline, deal.Id, pipeline.Stages[2].Id, deal.Version);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("conflict", answer.GetProperty("outcome").GetString());
        Assert.StartsWith("Кто-то изменил эту сделку", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(pipeline.Stages[1].Id, (await DealsData.ReloadAsync(app, deal.Id)).StageId);
    }

    [Fact]
    public async Task Moving_a_colleagues_deal_answers_404()
    {
        var pipeline = await GoodsAsync();
        var his = await DealsData.CreateAsync(app, CrmApp.Ivan, 0);
        var anna = await app.SignInAsync(CrmApp.Anna);

        var (status, answer) = await MoveAsync(anna, pipeline, his.Id, pipeline.Stages[1].Id, his.Version);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("notFound", answer.GetProperty("outcome").GetString());
        Assert.Equal(pipeline.Stages[0].Id, (await DealsData.ReloadAsync(app, his.Id)).StageId);
    }

    [Fact]
    public async Task A_move_without_the_antiforgery_token_is_refused()
    {
        var pipeline = await GoodsAsync();
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, 0);
        var anna = await app.SignInAsync(CrmApp.Anna);

        var response = await anna.PostAsync($"/deals/{deal.Id}/move", new FormUrlEncodedContent(new Dictionary<string, string> { ["stageId"] = pipeline.Stages[1].Id.ToString() }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(pipeline.Stages[0].Id, (await DealsData.ReloadAsync(app, deal.Id)).StageId);
    }

    [Fact]
    public async Task Won_and_lost_columns_show_the_last_30_days_closings_only()
    {
        var pipeline = await GoodsAsync();
        var lost = pipeline.Stages.Single(s => s.Kind == StageKind.Lost);
        var reason = (await app.WithScopeAsync(services => services.GetRequiredService<Crm.Deals.Pipelines.PipelineCatalog>().LossReasonsAsync(CancellationToken.None)))[0];
        var tag = Tag();
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, 0, configure: d => d.Title = tag);
        Assert.Equal(Crm.Deals.Moving.MoveOutcome.Moved, (await DealsData.MoveAsync(app, CrmApp.Anna, new Crm.Deals.Moving.MoveCommand(deal.Id, lost.Id, MoveChannels.Board, LossReasonId: reason.Id))).Outcome);
        try
        {
            var anna = await app.SignInAsync(CrmApp.Anna);
            Assert.Contains(tag, Column(await anna.GetStringAsync($"/deals/board/{pipeline.Id}?q={tag}"), lost.Id), StringComparison.Ordinal);

            app.Clock.Advance(TimeSpan.FromDays(Crm.Deals.Areas.Deals.Features.Board.BoardController.ClosedDays + 1));
            anna = await app.SignInAsync(CrmApp.Anna);
            var later = Column(await anna.GetStringAsync($"/deals/board/{pipeline.Id}?q={tag}"), lost.Id);
            Assert.DoesNotContain(tag, later, StringComparison.Ordinal);
            Assert.Equal("0", Head(later, "data-count"));
        }
        finally
        {
            app.Clock.Reset();
        }
    }

    [Fact]
    public async Task A_deal_past_its_stage_limit_is_marked_stalled_and_found_by_the_stalled_filter()
    {
        var pipeline = await GoodsAsync();
        var tag = Tag();
        var old = await DealsData.CreateAsync(app, CrmApp.Anna, 0, configure: d => d.Title = tag + " old");
        try
        {
            app.Clock.Advance(TimeSpan.FromDays(pipeline.Stages[0].TimeLimitDays!.Value + 1));
            var fresh = await DealsData.CreateAsync(app, CrmApp.Anna, 0, configure: d => d.Title = tag + " fresh");
            var anna = await app.SignInAsync(CrmApp.Anna);

            var column = Column(await anna.GetStringAsync($"/deals/board/{pipeline.Id}?q={tag}"), pipeline.Stages[0].Id);
            Assert.Contains("data-stalled", Card(column, old.Id), StringComparison.Ordinal);
            Assert.Contains("8 дн.", Card(column, old.Id), StringComparison.Ordinal);
            Assert.DoesNotContain("data-stalled", Card(column, fresh.Id), StringComparison.Ordinal);

            var stalled = Column(await anna.GetStringAsync($"/deals/board/{pipeline.Id}?q={tag}&stalled=true"), pipeline.Stages[0].Id);
            Assert.Contains(old.Title, stalled, StringComparison.Ordinal);
            Assert.DoesNotContain(fresh.Title, stalled, StringComparison.Ordinal);
            Assert.Equal("1", Head(stalled, "data-count"));
        }
        finally
        {
            app.Clock.Reset();
        }
    }

    [Fact]
    public async Task The_filters_narrow_the_board_and_a_wrong_date_is_told_next_to_its_field()
    {
        var pipeline = await GoodsAsync();
        var tag = Tag();
        var annas = await DealsData.CreateAsync(app, CrmApp.Anna, 1, configure: d => d.Title = tag + " of Anna");
        var ivans = await DealsData.CreateAsync(app, CrmApp.Ivan, 1, configure: d => d.Title = tag + " of Ivan");
        var ivan = await DealsData.UserAsync(app, CrmApp.Ivan);
        var head = await app.SignInAsync(CrmApp.Head);

        var all = await head.GetStringAsync($"/deals/board/{pipeline.Id}?q={tag}");
        Assert.Contains(annas.Title, all, StringComparison.Ordinal);
        Assert.Contains(ivans.Title, all, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{ivan.Id}\">", all, StringComparison.Ordinal);

        var his = await head.GetStringAsync($"/deals/board/{pipeline.Id}?q={tag}&owner={ivan.Id}");
        Assert.DoesNotContain(annas.Title, his, StringComparison.Ordinal);
        Assert.Contains(ivans.Title, his, StringComparison.Ordinal);

        // The head's today (her profile's zone, Moscow) by the app's clock: between 21:00 and 24:00 UTC it is already tomorrow there.
        var moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        var today = TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), moscow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Contains(annas.Title, await head.GetStringAsync($"/deals/board/{pipeline.Id}?q={tag}&createdFrom={today}&createdTo={today}"), StringComparison.Ordinal);
        Assert.DoesNotContain(annas.Title, await head.GetStringAsync($"/deals/board/{pipeline.Id}?q={tag}&createdTo=2020-01-01"), StringComparison.Ordinal);
        Assert.DoesNotContain(annas.Title, await head.GetStringAsync($"/deals/board/{pipeline.Id}?q={tag}&mine=true"), StringComparison.Ordinal);

        var wrong = await head.GetStringAsync($"/deals/board/{pipeline.Id}?createdFrom=2026-99-01");
        Assert.Contains("id=\"deal-createdFrom-error\"", wrong, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pipelines_custom_field_filters_the_board_and_is_asked_for_when_a_stage_requires_it()
    {
        var pipeline = await DealsData.PipelineAsync(app, 1);
        await DealsData.SetPipelineAsync(app, pipeline.Id, TransitionMode.InOrder, allowBack: true);
        var key = "region_" + Guid.NewGuid().ToString("N")[..6];
        await app.WithScopeAsync(async services =>
        {
            var fields = services.GetRequiredService<Crm.CustomFields.Data.FieldsDbContext>();
            fields.Definitions.Add(new Crm.CustomFields.Domain.FieldDefinition
            {
                Id = Guid.CreateVersion7(), EntityKind = "deal", Scope = pipeline.Id.ToString(), Key = key, Label = "Регион",
                Type = Crm.CustomFields.Contracts.CustomFieldType.List, Options = ["Север", "Юг"], Order = 1, CreatedAt = DateTimeOffset.UtcNow,
            });
            await fields.SaveChangesAsync();
            var stage = pipeline.Stages[1].Id;
            await services.GetRequiredService<Crm.Deals.Data.DealsDbContext>().Stages.Where(s => s.Id == stage)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RequiredFields, new List<string> { "cf:" + key }));
            services.GetRequiredService<Crm.Deals.Pipelines.PipelineCatalog>().Changed();
        });
        var tag = Tag();
        var north = await DealsData.CreateAsync(app, CrmApp.Anna, 0, 1, d => { d.Title = tag + " north"; d.CustomFields = JsonDocument.Parse($"{{\"{key}\": \"Север\"}}"); });
        var south = await DealsData.CreateAsync(app, CrmApp.Anna, 0, 1, d => { d.Title = tag + " south"; d.CustomFields = JsonDocument.Parse($"{{\"{key}\": \"Юг\"}}"); });
        var blank = await DealsData.CreateAsync(app, CrmApp.Anna, 0, 1, d => d.Title = tag + " blank");
        var anna = await app.SignInAsync(CrmApp.Anna);

        var filtered = await anna.GetStringAsync($"/deals/board/{pipeline.Id}?q={tag}&cf.{key}=север");
        Assert.Contains($"name=\"cf.{key}\"", filtered, StringComparison.Ordinal);
        Assert.Contains(north.Title, filtered, StringComparison.Ordinal);
        Assert.DoesNotContain(south.Title, filtered, StringComparison.Ordinal);
        Assert.DoesNotContain(blank.Title, filtered, StringComparison.Ordinal);
        var unknown = await anna.GetStringAsync($"/deals/board/{pipeline.Id}?q={tag}&cf.{key}=Запад");
        Assert.Contains("«Запад» не подходит для поля «Регион».", unknown, StringComparison.Ordinal);
        Assert.DoesNotContain(north.Title, unknown, StringComparison.Ordinal);
        // The goods pipeline has no such field.
        Assert.DoesNotContain($"name=\"cf.{key}\"", await anna.GetStringAsync($"/deals/board/{(await DealsData.PipelineAsync(app)).Id}"), StringComparison.Ordinal);

        var (_, asked) = await MoveAsync(anna, pipeline, blank.Id, pipeline.Stages[1].Id, blank.Version);
        Assert.Equal("needsFields", asked.GetProperty("outcome").GetString());
        Assert.Equal("cf:" + key, Assert.Single(asked.GetProperty("missing").EnumerateArray()).GetProperty("key").GetString());
        Assert.Contains($"name=\"custom[{key}]\"", asked.GetProperty("form").GetString(), StringComparison.Ordinal);

        var (status, _) = await MoveAsync(anna, pipeline, blank.Id, pipeline.Stages[1].Id, blank.Version, fields: new() { [$"custom[{key}]"] = "Юг" });
        Assert.Equal(HttpStatusCode.OK, status);
        var saved = await DealsData.ReloadAsync(app, blank.Id);
        Assert.Equal(pipeline.Stages[1].Id, saved.StageId);
        Assert.Equal("Юг", saved.CustomFields!.RootElement.GetProperty(key).GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Answer)> MoveAsync(
        HttpClient client, Pipeline pipeline, Guid dealId, Guid stageId, uint version, string query = "", Dictionary<string, string>? fields = null)
    {
        var page = await client.GetStringAsync($"/deals/board/{pipeline.Id}");
        var form = new Dictionary<string, string>(fields ?? [])
        {
            ["__RequestVerificationToken"] = CrmApp.AntiforgeryToken(page),
            ["stageId"] = stageId.ToString(),
            ["version"] = version.ToString(CultureInfo.InvariantCulture),
        };
        var response = await client.PostAsync($"/deals/{dealId}/move{query}", new FormUrlEncodedContent(form));
        var json = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(json).RootElement.Clone());
    }

    private static string Column(string html, Guid stageId) =>
        Regex.Match(html, $"<section[^>]*data-column=\"{stageId}\"[\\s\\S]*?</section>").Value is { Length: > 0 } column
            ? column
            : throw new InvalidOperationException($"No column of stage {stageId}.");

    private static string Card(string html, Guid dealId) =>
        Regex.Match(html, $"<article[^>]*data-deal-id=\"{dealId}\"[\\s\\S]*?</article>").Value is { Length: > 0 } card
            ? card
            : throw new InvalidOperationException($"No card of deal {dealId}.");

    private static string Head(string column, string attribute) =>
        WebUtility.HtmlDecode(Regex.Match(column, $"<span[^>]*{attribute}[^>]*>([^<]*)</span>").Groups[1].Value).Trim();

    private static List<string> Titles(string html, string tag) =>
        Regex.Matches(html, $"class=\"crm-deal-title\"[^>]*>({Regex.Escape(tag)} [0-9]+)<").Select(m => m.Groups[1].Value).ToList();
}
