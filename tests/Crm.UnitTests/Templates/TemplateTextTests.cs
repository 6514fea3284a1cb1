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
}
