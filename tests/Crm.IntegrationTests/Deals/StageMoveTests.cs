using Crm.Deals.Domain;
using Crm.Deals.Moving;
using Crm.Testing;
using Xunit;

namespace Crm.IntegrationTests.Deals;

/// <summary>The transition rules and required fields through the mover every channel uses, with the stage history each move writes.</summary>
public sealed class StageMoveTests(CrmApp app) : IClassFixture<CrmApp>
{
    // Goods sale: 0 initial interest, 1 proposal, 2 negotiation, 3 proposal approved (requires amount),
    // 4 invoice sent (amount, payment form), 5 paid, 6 shipped (won, delivery), 7 paused, 8 lost.
    private async Task<(Pipeline Pipeline, Deal Deal)> NewDealAsync(int stage = 0, Action<Deal>? configure = null)
    {
        var pipeline = await DealsData.PipelineAsync(app);
        await DealsData.SetPipelineAsync(app, pipeline.Id, TransitionMode.InOrder, allowBack: true);
        return (pipeline, await DealsData.CreateAsync(app, CrmApp.Anna, stage, configure: configure));
    }

    [Fact]
    public async Task Moving_to_the_next_stage_closes_the_stay_and_opens_the_next_one()
    {
        var (pipeline, deal) = await NewDealAsync();

        var result = await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[1].Id, MoveChannels.Board));

        Assert.Equal(MoveOutcome.Moved, result.Outcome);
        var history = await DealsData.HistoryAsync(app, deal.Id);
        Assert.Equal([pipeline.Stages[0].Id, pipeline.Stages[1].Id], history.Select(h => h.StageId));
        Assert.NotNull(history[0].LeftAt);
        Assert.Null(history[1].LeftAt);
        Assert.Equal(MoveChannels.Board, history[1].Channel);
        Assert.Equal(pipeline.Stages[1].Id, (await DealsData.ReloadAsync(app, deal.Id)).StageId);
    }

    [Fact]
    public async Task Moving_to_a_stage_out_of_order_is_refused_with_the_next_stage_named()
    {
        var (pipeline, deal) = await NewDealAsync();

        var result = await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[2].Id, MoveChannels.Board));

        Assert.Equal(MoveOutcome.Refused, result.Outcome);
        Assert.Contains(pipeline.Stages[1].Name, result.Message);
        Assert.Single(await DealsData.HistoryAsync(app, deal.Id));
        Assert.Equal(pipeline.Stages[0].Id, (await DealsData.ReloadAsync(app, deal.Id)).StageId);
    }

    [Fact]
    public async Task A_lost_stage_is_always_reachable_but_asks_for_a_loss_reason()
    {
        var (pipeline, deal) = await NewDealAsync();
        var lost = pipeline.Stages.Single(s => s.Kind == StageKind.Lost);

        var asked = await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, lost.Id, MoveChannels.Api));
        Assert.Equal(MoveOutcome.NeedsFields, asked.Outcome);
        var reason = Assert.Single(asked.Missing!);
        Assert.Equal(MissingField.LossReasonKey, reason.Key);
        Assert.NotEmpty(reason.Options);

        var moved = await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, lost.Id, MoveChannels.Api, LossReasonId: Guid.Parse(reason.Options[0].Value)));
        Assert.Equal(MoveOutcome.Moved, moved.Outcome);
        var saved = await DealsData.ReloadAsync(app, deal.Id);
        Assert.NotNull(saved.ClosedAt);
        Assert.NotNull(saved.LossReasonId);

        // Reopening brings it back to work and clears the loss.
        var reopened = await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[0].Id, MoveChannels.Page));
        Assert.Equal(MoveOutcome.Moved, reopened.Outcome);
        saved = await DealsData.ReloadAsync(app, deal.Id);
        Assert.Null(saved.ClosedAt);
        Assert.Null(saved.LossReasonId);
    }

    [Fact]
    public async Task A_paused_deal_resumes_from_where_it_stood()
    {
        var (pipeline, deal) = await NewDealAsync();
        var pause = pipeline.Stages.Single(s => s.IsPause);
        Assert.Equal(MoveOutcome.Moved, (await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[1].Id, MoveChannels.Board))).Outcome);
        Assert.Equal(MoveOutcome.Moved, (await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pause.Id, MoveChannels.Board))).Outcome);

        Assert.Equal(MoveOutcome.Refused, (await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[3].Id, MoveChannels.Board))).Outcome);
        Assert.Equal(MoveOutcome.Moved, (await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[2].Id, MoveChannels.Board))).Outcome);
    }

    [Fact]
    public async Task Going_back_follows_the_pipeline_setting()
    {
        var (pipeline, deal) = await NewDealAsync(stage: 2);
        await DealsData.SetPipelineAsync(app, pipeline.Id, TransitionMode.InOrder, allowBack: false);

        var refused = await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[1].Id, MoveChannels.Board));
        Assert.Equal(MoveOutcome.Refused, refused.Outcome);
        Assert.Contains("back", refused.Message, StringComparison.OrdinalIgnoreCase);

        await DealsData.SetPipelineAsync(app, pipeline.Id, TransitionMode.InOrder, allowBack: true);
        Assert.Equal(MoveOutcome.Moved, (await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[1].Id, MoveChannels.Board))).Outcome);
    }

    [Fact]
    public async Task A_free_pipeline_lets_a_deal_jump_stages()
    {
        var (pipeline, deal) = await NewDealAsync();
        await DealsData.SetPipelineAsync(app, pipeline.Id, TransitionMode.Free, allowBack: true);

        Assert.Equal(MoveOutcome.Moved, (await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[2].Id, MoveChannels.Board))).Outcome);
    }

    [Fact]
    public async Task A_stage_that_requires_fields_asks_for_exactly_the_missing_ones_and_takes_them()
    {
        var (pipeline, deal) = await NewDealAsync(stage: 2);

        var asked = await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[3].Id, MoveChannels.Board));
        Assert.Equal(MoveOutcome.NeedsFields, asked.Outcome);
        Assert.Equal(["amount"], asked.Missing!.Select(m => m.Key));

        var wrong = await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[3].Id, MoveChannels.Board, Fields: new Dictionary<string, string?> { ["amount"] = "lots" }));
        Assert.Equal(MoveOutcome.NeedsFields, wrong.Outcome);
        Assert.True(wrong.Errors!.ContainsKey("amount"));

        var moved = await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[3].Id, MoveChannels.Board, Fields: new Dictionary<string, string?> { ["amount"] = "150 000,50" }));
        Assert.Equal(MoveOutcome.Moved, moved.Outcome);
        Assert.Equal(150_000.50m, (await DealsData.ReloadAsync(app, deal.Id)).Amount);
    }

    [Fact]
    public async Task A_stale_version_is_a_conflict_and_changes_nothing()
    {
        var (pipeline, deal) = await NewDealAsync();
        var seen = deal.Version;
        Assert.Equal(MoveOutcome.Moved, (await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[1].Id, MoveChannels.Board, Version: seen))).Outcome);

        var second = await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[7].Id, MoveChannels.Board, Version: seen));

        Assert.Equal(MoveOutcome.Conflict, second.Outcome);
        Assert.Equal(pipeline.Stages[1].Id, (await DealsData.ReloadAsync(app, deal.Id)).StageId);
        Assert.Equal(2, (await DealsData.HistoryAsync(app, deal.Id)).Count);
    }

    [Fact]
    public async Task A_manager_cannot_move_a_colleagues_deal_nor_force_a_move()
    {
        var (pipeline, deal) = await NewDealAsync();

        Assert.Equal(MoveOutcome.NotFound, (await DealsData.MoveAsync(app, CrmApp.Ivan, new MoveCommand(deal.Id, pipeline.Stages[1].Id, MoveChannels.Api))).Outcome);
        Assert.Equal(MoveOutcome.Forbidden, (await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, pipeline.Stages[3].Id, MoveChannels.Api, Force: true))).Outcome);
    }
}
