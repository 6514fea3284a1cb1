using System.Globalization;
using Crm.SharedKernel.Templates;
using Xunit;

namespace Crm.UnitTests.Templates;

public sealed class TemplateTextTests
{
    private static PlaceholderModel Model() => new PlaceholderModel()
        .Set("deal", new Dictionary<string, object?>
        {
            ["title"] = "Поставка <фрезы>",
            ["amount"] = 1500.5m,
            ["custom"] = new Dictionary<string, object?> { ["inn"] = "7707083893" },
        })
        .Set("owner", new Dictionary<string, object?> { ["name"] = "Анна Петрова" });

    [Fact]
    public async Task Placeholders_of_the_deal_its_custom_fields_and_owner_are_filled_in()
    {
        var text = await TemplateText.RenderTextAsync("{{ deal.title }} / {{ deal.custom.inn }} / {{ owner.name }}", Model(), CultureInfo.InvariantCulture);

        Assert.Equal("Поставка <фрезы> / 7707083893 / Анна Петрова", text);
    }

    [Fact]
    public async Task Html_rendering_encodes_the_values_but_keeps_the_templates_own_markup()
    {
        Assert.True(TemplateText.TryParse("<p>{{ deal.title }}</p>", out var template, out _));

        var html = await TemplateText.RenderHtmlAsync(template, Model(), CultureInfo.InvariantCulture);

        Assert.Equal("<p>Поставка &lt;фрезы&gt;</p>", html);
    }

    [Fact]
    public async Task An_unknown_placeholder_renders_empty_rather_than_failing()
    {
        Assert.Equal("Звонок: ", await TemplateText.RenderTextAsync("Звонок: {{ client.nmae }}", Model()));
    }

    [Fact]
    public void A_syntax_error_is_reported_with_the_parsers_message()
    {
        Assert.False(TemplateText.TryParse("Hello {{ deal.title ", out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("ru", "1\u202f500\u202f000\u00a0₽ / 1\u202f500,50\u00a0$")]
    [InlineData("en", "₽1,500,000 / $1,500.50")]
    public async Task Money_is_written_in_the_render_culture_with_the_deals_currency_or_the_one_given(string culture, string expected)
    {
        var model = new PlaceholderModel().Set("deal", new Dictionary<string, object?> { ["amount"] = 1500000m, ["currency"] = "RUB", ["fee"] = 1500.5m });

        var text = await TemplateText.RenderTextAsync("{{ deal.amount | money }} / {{ deal.fee | money: \"USD\" }}", model, CultureInfo.GetCultureInfo(culture == "ru" ? "ru-RU" : "en-US"));

        Assert.Equal(expected, text);
    }

    [Fact]
    public async Task Money_without_a_currency_is_the_number_alone_and_a_text_is_left_as_it_is()
    {
        var model = new PlaceholderModel().Set("deal", new Dictionary<string, object?> { ["amount"] = 2500.75m, ["title"] = "Станок" });

        var text = await TemplateText.RenderTextAsync("{{ deal.amount | money }} / {{ deal.title | money }}", model, CultureInfo.GetCultureInfo("ru-RU"));

        Assert.Equal("2\u00a0500,75 / Станок", text);
    }

    [Theory]
    [InlineData("ru", "22.11.2026 / 22 ноября 2026")]
    [InlineData("en", "11/22/2026 / 22 November 2026")]
    public async Task A_date_is_written_in_the_render_culture_short_by_default_or_in_the_format_given(string culture, string expected)
    {
        var model = new PlaceholderModel().Set("deal", new Dictionary<string, object?> { ["expected_close"] = "2026-11-22" });

        var text = await TemplateText.RenderTextAsync("{{ deal.expected_close | date }} / {{ deal.expected_close | date: \"d MMMM yyyy\" }}", model, CultureInfo.GetCultureInfo(culture == "ru" ? "ru-RU" : "en-US"));

        Assert.Equal(expected, text);
    }
}
