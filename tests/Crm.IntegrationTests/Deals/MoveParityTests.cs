using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Deals.Domain;
using Crm.Testing;
using Xunit;

namespace Crm.IntegrationTests.Deals;

/// <summary>
/// Every transition rule gives the same answer through the board's page handler and through the API:
/// the same outcome, the same reason word for word (both in Russian here), the same missing fields.
/// </summary>
public sealed class MoveParityTests(CrmApp app) : IClassFixture<CrmApp>
{
    // Goods sale: 0 initial interest, 1 proposal, 2 negotiation, 3 proposal approved (requires amount),
    // 4 invoice sent, 5 paid, 6 shipped (won), 7 paused, 8 lost.
    public static TheoryData<string, int, int, bool, string> Cases() => new()
    {
        { "next stage", 0, 1, true, "moved" },
        { "two stages ahead", 0, 2, true, "refused" },
        { "back, not allowed", 2, 1, false, "refused" },
        { "back, allowed", 2, 1, true, "moved" },
        { "lost without a reason", 1, 8, true, "needsFields" },
        { "paused from anywhere", 1, 7, true, "moved" },
        { "a stage requiring the amount", 2, 3, true, "needsFields" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_board_and_the_api_answer_a_move_alike(string rule, int from, int to, bool allowBack, string expected)
    {
        var pipeline = await DealsData.PipelineAsync(app);
        await DealsData.SetPipelineAsync(app, pipeline.Id, TransitionMode.InOrder, allowBack);
        var onBoard = await DealsData.CreateAsync(app, CrmApp.Anna, from, configure: d => d.Title = rule);
        var throughApi = await DealsData.CreateAsync(app, CrmApp.Anna, from, configure: d => d.Title = rule);

        var board = await BoardMoveAsync(pipeline, onBoard, pipeline.Stages[to].Id);
        var api = await (await app.ApiClientAsync(CrmApp.Anna, "ru")).PostAsJsonAsync($"/api/v1/deals/{throughApi.Id}/move", new { stageId = pipeline.Stages[to].Id, version = throughApi.Version });
        var apiAnswer = await api.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(expected, board.GetProperty("outcome").GetString());
        if (expected == "moved")
        {
            Assert.Equal(HttpStatusCode.OK, api.StatusCode);
            Assert.Equal(pipeline.Stages[to].Id, (await DealsData.ReloadAsync(app, onBoard.Id)).StageId);
            Assert.Equal(pipeline.Stages[to].Id, (await DealsData.ReloadAsync(app, throughApi.Id)).StageId);
            return;
        }

        Assert.Equal((HttpStatusCode)422, api.StatusCode);
        Assert.Equal(board.GetProperty("message").GetString(), apiAnswer.GetProperty("detail").GetString());
        if (expected == "needsFields")
        {
            Assert.Equal(
                board.GetProperty("missing").EnumerateArray().Select(m => m.GetProperty("key").GetString()),
                apiAnswer.GetProperty("missingFields").EnumerateArray().Select(m => m.GetProperty("key").GetString()));
        }

        Assert.Equal(pipeline.Stages[from].Id, (await DealsData.ReloadAsync(app, onBoard.Id)).StageId);
        Assert.Equal(pipeline.Stages[from].Id, (await DealsData.ReloadAsync(app, throughApi.Id)).StageId);
    }

    [Fact]
    public async Task A_stale_version_is_a_conflict_with_the_same_message_on_the_board_and_in_the_api()
    {
        var pipeline = await DealsData.PipelineAsync(app);
        await DealsData.SetPipelineAsync(app, pipeline.Id, TransitionMode.InOrder, allowBack: true);
        var onBoard = await DealsData.CreateAsync(app, CrmApp.Anna);
        var throughApi = await DealsData.CreateAsync(app, CrmApp.Anna);
        var stale = onBoard.Version;
        foreach (var deal in new[] { onBoard, throughApi })
        {
            await DealsData.MoveAsync(app, CrmApp.Anna, new Crm.Deals.Moving.MoveCommand(deal.Id, pipeline.Stages[1].Id, MoveChannels.Page));
        }

        var board = await BoardMoveAsync(pipeline, onBoard, pipeline.Stages[2].Id, stale);
        var api = await (await app.ApiClientAsync(CrmApp.Anna, "ru")).PostAsJsonAsync($"/api/v1/deals/{throughApi.Id}/move", new { stageId = pipeline.Stages[2].Id, version = throughApi.Version });

        Assert.Equal("conflict", board.GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.Conflict, api.StatusCode);
        Assert.Equal(board.GetProperty("message").GetString(), (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    /// <summary>What the board's script posts when a card is dropped, and the JSON it gets back.</summary>
    private async Task<JsonElement> BoardMoveAsync(Pipeline pipeline, Deal deal, Guid stageId, uint? version = null)
    {
        var client = await app.SignInAsync(CrmApp.Anna, acceptLanguage: "ru");
        var page = await client.GetStringAsync($"/deals/board/{pipeline.Id}");
        var response = await client.PostAsync($"/deals/{deal.Id}/move", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = CrmApp.AntiforgeryToken(page),
            ["stageId"] = stageId.ToString(),
            ["version"] = (version ?? deal.Version).ToString(CultureInfo.InvariantCulture),
        }));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
