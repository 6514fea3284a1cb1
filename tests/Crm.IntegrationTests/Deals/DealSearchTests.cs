using Crm.Testing;
using Xunit;

namespace Crm.IntegrationTests.Deals;

/// <summary>Deals in the header search: by title fragment or number, within the user's scope.</summary>
public sealed class DealSearchTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task The_header_search_finds_a_deal_by_title_and_number_only_for_those_who_may_see_it()
    {
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => d.Title = "Поставка кабеля Зеленоград");
        var anna = await app.SignInAsync(CrmApp.Anna);
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        var byTitle = await anna.GetStringAsync("/search/suggest?q=" + Uri.EscapeDataString("кабеля Зелен"));
        var byNumber = await anna.GetStringAsync("/search/suggest?q=" + deal.DisplayNumber);
        var colleague = await ivan.GetStringAsync("/search/suggest?q=" + Uri.EscapeDataString("кабеля Зелен"));

        Assert.Contains($"/deals/{deal.Id}", byTitle);
        Assert.Contains($"/deals/{deal.Id}", byNumber);
        Assert.DoesNotContain($"/deals/{deal.Id}", colleague);
    }
}
