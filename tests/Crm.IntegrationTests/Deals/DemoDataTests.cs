using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Pipelines;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Deals;

/// <summary>The demo deals every test database starts with (the template is seeded like a new demo installation).</summary>
public sealed class DemoDataTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task About_four_hundred_demo_deals_use_both_template_pipelines_and_the_demo_team()
    {
        var (deals, _, pipelines) = await LoadAsync();

        Assert.InRange(deals.Count, 350, 450);
        Assert.All(pipelines.Take(2), p => Assert.True(deals.Count(d => d.PipelineId == p.Id) >= 100, p.Name));
        var owners = deals.Select(d => d.OwnerId).Distinct().Count();
        Assert.Equal(3, owners);
        Assert.All(deals, d => Assert.True(d.CompanyId is not null || d.ContactId is not null, d.Title));
        Assert.Contains(deals, d => d.CompanyId is null && d.ContactId is not null);
        Assert.Equal(deals.Count, deals.Select(d => (d.Year, d.Number)).Distinct().Count());
    }

    [Fact]
    public async Task Every_demo_deals_stage_history_is_a_chain_of_stays_ending_in_its_current_stage()
    {
        var (deals, history, _) = await LoadAsync();
        var byDeal = history.GroupBy(h => h.DealId).ToDictionary(g => g.Key, g => g.OrderBy(h => h.EnteredAt).ToList());

        Assert.All(deals, deal =>
        {
            var stays = byDeal[deal.Id];
            Assert.Single(stays, s => s.LeftAt is null);
            Assert.Null(stays[^1].LeftAt);
            Assert.Equal(deal.StageId, stays[^1].StageId);
            Assert.Equal(deal.StageEnteredAt, stays[^1].EnteredAt);
            Assert.Equal(deal.CreatedAt, stays[0].EnteredAt);
            for (var i = 0; i < stays.Count - 1; i++)
            {
                Assert.Equal(stays[i].LeftAt, stays[i + 1].EnteredAt);
                Assert.True(stays[i].EnteredAt <= stays[i].LeftAt);
                Assert.NotEqual(stays[i].StageId, stays[i + 1].StageId);
            }

            Assert.True(deal.CreatedAt >= DateTimeOffset.UtcNow.AddDays(-190), deal.Title);
            Assert.True(deal.StageEnteredAt <= DateTimeOffset.UtcNow);
        });
    }

    [Fact]
    public async Task Demo_deals_are_won_lost_with_reasons_open_stalled_and_paused()
    {
        var (deals, _, pipelines) = await LoadAsync();
        var stages = pipelines.SelectMany(p => p.Stages).ToDictionary(s => s.Id);
        var now = DateTimeOffset.UtcNow;

        var won = deals.Where(d => stages[d.StageId].Kind == StageKind.Won).ToList();
        var lost = deals.Where(d => stages[d.StageId].Kind == StageKind.Lost).ToList();
        var open = deals.Where(d => stages[d.StageId].Kind == StageKind.Open).ToList();

        Assert.InRange(won.Count, deals.Count / 6, deals.Count / 3);
        Assert.InRange(lost.Count, deals.Count / 6, deals.Count / 3);
        Assert.All(won.Concat(lost), d => Assert.Equal(d.StageEnteredAt, d.ClosedAt));
        Assert.All(lost, d => Assert.NotNull(d.LossReasonId));
        Assert.All(open, d => Assert.Null(d.ClosedAt));
        Assert.Contains(open, d => stages[d.StageId].IsPause);
        var stalled = open.Count(d => stages[d.StageId].IsStalled(d.StageEnteredAt, now));
        Assert.InRange(stalled, 10, open.Count / 2);
        Assert.True(open.Select(d => d.StageId).Distinct().Count() >= 6);
    }

    [Fact]
    public async Task Demo_amounts_are_the_totals_of_their_line_items()
    {
        var deals = await app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().Deals.AsNoTracking().Include(d => d.Items).ToListAsync());

        Assert.All(deals, d =>
        {
            Assert.NotEmpty(d.Items);
            Assert.Equal(d.Items.Sum(i => i.Total), d.Amount);
            Assert.All(d.Items, i => Assert.Equal(20m, i.VatRate));
        });
        Assert.Contains(deals.SelectMany(d => d.Items), i => i.Name == "Кабель ВВГнг 3x2.5");
    }

    private Task<(List<Deal> Deals, List<StageHistoryEntry> History, IReadOnlyList<Pipeline> Pipelines)> LoadAsync() =>
        app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<DealsDbContext>();
            var deals = await db.Deals.AsNoTracking().ToListAsync();
            var history = await db.StageHistory.AsNoTracking().ToListAsync();
            var pipelines = await s.GetRequiredService<PipelineCatalog>().PipelinesAsync(CancellationToken.None);
            return (deals, history, pipelines);
        });
}
