using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Crm.BrowserTests;

/// <summary>
/// The deals board as a manager uses it: a card dragged to the next stage stays there (and the stage
/// history says so), a card dragged two stages ahead in an in-order pipeline comes back with the reason,
/// a stage that requires a field asks for it in a dialog. SortableJS runs in its own pointer mode
/// (forceFallback), so the test drags with the mouse as a person does.
/// </summary>
public sealed class DealBoardTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    // Goods sale: 0 initial interest, 1 proposal, 2 negotiation, 3 proposal approved (requires amount), ...
    private async Task<Pipeline> GoodsAsync()
    {
        var pipeline = await DealsData.PipelineAsync(app.Services);
        await DealsData.SetPipelineAsync(app.Services, pipeline.Id, TransitionMode.InOrder, allowBack: true);
        return pipeline;
    }

    private static string Tag() => "board-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public Task A_card_dragged_to_the_next_stage_stays_there() =>
        app.RunAsync(nameof(A_card_dragged_to_the_next_stage_stays_there), async page =>
        {
            var pipeline = await GoodsAsync();
            var tag = Tag();
            var deal = await DealsData.CreateAsync(app.Services, CrmApp.Anna, 0, configure: d => { d.Title = tag + " next"; d.Amount = 42_000m; });
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            await page.GotoAsync($"/deals/board/{pipeline.Id}?q={tag}");

            var card = page.Locator($"[data-deal-id='{deal.Id}']");
            await DragAsync(page, card, page.Locator($"#cards-{pipeline.Stages[1].Id}"));

            var moved = page.Locator($"#cards-{pipeline.Stages[1].Id} [data-deal-id='{deal.Id}']");
            await Expect(moved).Not.ToHaveAttributeAsync("data-version", deal.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(page.Locator($"[data-column='{pipeline.Stages[1].Id}'] [data-count]")).ToHaveTextAsync("1");
            await Expect(page.Locator($"[data-column='{pipeline.Stages[0].Id}'] [data-count]")).ToHaveTextAsync("0");

            var saved = await DealsData.ReloadAsync(app.Services, deal.Id);
            Assert.Equal(pipeline.Stages[1].Id, saved.StageId);
            var history = await DealsData.HistoryAsync(app.Services, deal.Id);
            Assert.Equal([pipeline.Stages[0].Id, pipeline.Stages[1].Id], history.Select(h => h.StageId));
            Assert.Equal(MoveChannels.Board, history[^1].Channel);

            // A reload shows it where it went.
            await page.ReloadAsync();
            await Expect(page.Locator($"#cards-{pipeline.Stages[1].Id} [data-deal-id='{deal.Id}']")).ToBeVisibleAsync();
        });

    [Fact]
    public Task A_card_dragged_two_stages_ahead_comes_back_with_the_reason() =>
        app.RunAsync(nameof(A_card_dragged_two_stages_ahead_comes_back_with_the_reason), async page =>
        {
            var pipeline = await GoodsAsync();
            var tag = Tag();
            var deal = await DealsData.CreateAsync(app.Services, CrmApp.Anna, 0, configure: d => d.Title = tag + " jump");
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            await page.GotoAsync($"/deals/board/{pipeline.Id}?q={tag}");

            await DragAsync(page, page.Locator($"[data-deal-id='{deal.Id}']"), page.Locator($"#cards-{pipeline.Stages[2].Id}"));

            var toast = page.Locator("[data-board-toast]");
            await Expect(toast).ToBeVisibleAsync();
            await Expect(toast).ToContainTextAsync($"следующая — «{pipeline.Stages[1].Name}»");
            await Expect(page.Locator($"#cards-{pipeline.Stages[0].Id} [data-deal-id='{deal.Id}']")).ToBeVisibleAsync();
            await Expect(page.Locator($"#cards-{pipeline.Stages[2].Id} [data-deal-id='{deal.Id}']")).ToHaveCountAsync(0);
            // Bootstrap fades the toast in: "showing" goes when it is opaque.
            await Expect(toast).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("showing"));
            await BrowserApp.KeepScreenshotAsync(page, "deal-board-refused");

            Assert.Equal(pipeline.Stages[0].Id, (await DealsData.ReloadAsync(app.Services, deal.Id)).StageId);
            Assert.Single(await DealsData.HistoryAsync(app.Services, deal.Id));
        });

    [Fact]
    public Task A_stage_that_requires_the_amount_asks_for_it_in_a_dialog() =>
        app.RunAsync(nameof(A_stage_that_requires_the_amount_asks_for_it_in_a_dialog), async page =>
        {
            var pipeline = await GoodsAsync();
            var tag = Tag();
            var deal = await DealsData.CreateAsync(app.Services, CrmApp.Anna, 2, configure: d => { d.Title = tag + " approve"; d.Amount = 0m; });
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            await page.GotoAsync($"/deals/board/{pipeline.Id}?q={tag}");
            var approved = page.Locator($"#cards-{pipeline.Stages[3].Id}");
            var dialog = page.Locator("#move-dialog");

            // Cancelling the dialog puts the card back.
            await DragAsync(page, page.Locator($"[data-deal-id='{deal.Id}']"), approved);
            await Expect(dialog).ToBeVisibleAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Отмена" }).ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
            await Expect(page.Locator($"#cards-{pipeline.Stages[2].Id} [data-deal-id='{deal.Id}']")).ToBeVisibleAsync();

            await DragAsync(page, page.Locator($"[data-deal-id='{deal.Id}']"), approved);
            await Expect(dialog).ToBeVisibleAsync();
            await Expect(dialog).ToContainTextAsync("Чтобы перейти в «КП согласовано»");
            var amount = dialog.GetByLabel("Сумма");
            await Expect(amount).ToBeFocusedAsync();
            await amount.FillAsync("ничего");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Перевести", Exact = true }).ClickAsync();
            await Expect(dialog.Locator(".invalid-feedback")).ToHaveTextAsync("Введите сумму больше нуля.");
            await BrowserApp.KeepScreenshotAsync(page, "deal-board-dialog");

            await dialog.GetByLabel("Сумма").FillAsync("120 000");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Перевести", Exact = true }).ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
            var card = approved.Locator($"[data-deal-id='{deal.Id}']");
            await Expect(card).ToContainTextAsync("120");
            await Expect(page.Locator($"[data-column='{pipeline.Stages[3].Id}'] [data-count]")).ToHaveTextAsync("1");

            var saved = await DealsData.ReloadAsync(app.Services, deal.Id);
            Assert.Equal(120_000m, saved.Amount);
            Assert.Equal(pipeline.Stages[3].Id, saved.StageId);
        });

    [Fact]
    public Task The_board_scrolls_sideways_on_a_375_px_screen_and_the_page_does_not() =>
        app.RunAsync(nameof(The_board_scrolls_sideways_on_a_375_px_screen_and_the_page_does_not), async page =>
        {
            var pipeline = await GoodsAsync();
            await ShowcaseAsync();
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            await page.GotoAsync($"/deals/board/{pipeline.Id}");
            await Expect(page.Locator("[data-stalled]").First).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "deal-board-desktop");

            await page.SetViewportSizeAsync(375, 740);
            await page.GotoAsync($"/deals/board/{pipeline.Id}");
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"The page is {overflow} px wider than the screen.");
            var column = await page.Locator("[data-column]").First.BoundingBoxAsync();
            Assert.NotNull(column);
            Assert.InRange(column.Width, 270, 290);
            var scrolls = await page.EvaluateAsync<bool>("() => { const b = document.querySelector('[data-board]'); return b.scrollWidth > b.clientWidth; }");
            Assert.True(scrolls, "The board does not scroll sideways.");
            await Expect(page.Locator("#deal-filters")).ToBeHiddenAsync();
            await BrowserApp.KeepScreenshotAsync(page, "deal-board-375");

            await page.GetByRole(AriaRole.Button, new() { Name = "Фильтры" }).ClickAsync();
            await Expect(page.Locator("#deal-filters")).ToBeVisibleAsync();
            await page.Locator("#deal-stalled").CheckAsync();
            await page.Locator("#deal-filters button[type=submit]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("stalled=true"));
            // Only stalled cards: each one carries the mark.
            await Expect(page.Locator("[data-deal-id]").First).ToBeVisibleAsync();
            Assert.Equal(await page.Locator("[data-deal-id]").CountAsync(), await page.Locator("[data-deal-id] [data-stalled]").CountAsync());
            await BrowserApp.KeepScreenshotAsync(page, "deal-board-375-stalled");
        });

    [Fact]
    public Task A_card_moves_by_keyboard_through_its_menu() =>
        app.RunAsync(nameof(A_card_moves_by_keyboard_through_its_menu), async page =>
        {
            var pipeline = await GoodsAsync();
            var tag = Tag();
            var deal = await DealsData.CreateAsync(app.Services, CrmApp.Anna, 0, configure: d => d.Title = tag + " keys");
            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            await page.GotoAsync($"/deals/board/{pipeline.Id}?q={tag}");

            var menuButton = page.GetByRole(AriaRole.Button, new() { Name = "Перевести на другую стадию: " + deal.Title });
            await menuButton.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            var choice = page.GetByRole(AriaRole.Button, new() { Name = pipeline.Stages[1].Name, Exact = true });
            await Expect(choice).ToBeVisibleAsync();
            await BrowserApp.KeepScreenshotAsync(page, "deal-board-menu");
            await page.Keyboard.PressAsync("ArrowDown");
            await Expect(choice).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Enter");

            await Expect(page.Locator($"#cards-{pipeline.Stages[1].Id} [data-deal-id='{deal.Id}']")).ToBeVisibleAsync();
            await Expect(page.Locator($"[data-column='{pipeline.Stages[1].Id}'] [data-count]")).ToHaveTextAsync("1");
            await Expect(page.Locator($"#cards-{pipeline.Stages[1].Id} [data-deal-id='{deal.Id}'] [data-move-menu]")).ToBeFocusedAsync();
            Assert.Equal(pipeline.Stages[1].Id, (await DealsData.ReloadAsync(app.Services, deal.Id)).StageId);

            // Two stages ahead by the menu comes back too, with the reason.
            await page.Locator($"[data-deal-id='{deal.Id}'] [data-move-menu]").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = pipeline.Stages[3].Name, Exact = true }).ClickAsync();
            await Expect(page.Locator("[data-board-toast]")).ToContainTextAsync($"следующая — «{pipeline.Stages[2].Name}»");
            await Expect(page.Locator($"#cards-{pipeline.Stages[1].Id} [data-deal-id='{deal.Id}']")).ToBeVisibleAsync();
        });

    [Fact]
    public Task A_long_column_loads_more_cards_as_it_scrolls() =>
        app.RunAsync(nameof(A_long_column_loads_more_cards_as_it_scrolls), async page =>
        {
            var pipeline = await GoodsAsync();
            var tag = Tag();
            for (var i = 0; i < 53; i++)
            {
                await DealsData.CreateAsync(app.Services, CrmApp.Anna, 4, configure: d => d.Title = $"{tag} {i:D2}");
            }

            await BrowserApp.SignInAsync(page, CrmApp.Anna);
            await page.GotoAsync($"/deals/board/{pipeline.Id}?q={tag}");
            var cards = page.Locator($"#cards-{pipeline.Stages[4].Id} [data-deal-id]");
            await Expect(cards).ToHaveCountAsync(50);

            await cards.Nth(49).ScrollIntoViewIfNeededAsync();
            await Expect(cards).ToHaveCountAsync(53);
            await Expect(cards.Last).ToContainTextAsync($"{tag} 00");
            await Expect(page.Locator($"#more-{pipeline.Stages[4].Id} button")).ToHaveCountAsync(0);
        });

    /// <summary>Besides the demo deals: one of Anna's, past its stage's time limit.</summary>
    private async Task ShowcaseAsync()
    {
        var stalled = await DealsData.CreateAsync(app.Services, CrmApp.Anna, 0, configure: d => { d.Title = "Поставка серверов"; d.CompanyName = "ООО «Ромашка»"; d.Amount = 1_250_000m; });
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DealsDbContext>().Deals.Where(d => d.Id == stalled.Id)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.StageEnteredAt, DateTimeOffset.UtcNow.AddDays(-12)));
    }

    /// <summary>Drags with the mouse: press on the card, move a little (past SortableJS's tolerance), then over the column in steps, release.</summary>
    private static async Task DragAsync(IPage page, ILocator card, ILocator target)
    {
        await target.ScrollIntoViewIfNeededAsync();
        var from = await card.BoundingBoxAsync() ?? throw new InvalidOperationException("The card is not visible.");
        var to = await target.BoundingBoxAsync() ?? throw new InvalidOperationException("The column is not visible.");
        await page.Mouse.MoveAsync(from.X + from.Width / 2, from.Y + 12);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(from.X + from.Width / 2 + 10, from.Y + 20, new() { Steps = 5 });
        await page.Mouse.MoveAsync(to.X + to.Width / 2, to.Y + Math.Min(to.Height / 2, 30), new() { Steps = 20 });
        await page.Mouse.UpAsync();
    }
}
