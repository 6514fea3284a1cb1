using System.Globalization;
using Crm.Deals.Domain;
using Xunit;

namespace Crm.UnitTests.Deals;

public sealed class DealFieldsTests
{
    [Theory]
    [InlineData("107 800,45", 107800.45)]
    [InlineData("107\u00a0800,45", 107800.45)]
    [InlineData("107\u202f800,45", 107800.45)]
    [InlineData("107800.45", 107800.45)]
    [InlineData("107,800.45", 107800.45)]
    [InlineData("107.800,45", 107800.45)]
    [InlineData("1,234,567", 1234567)]
    [InlineData("1 500", 1500)]
    [InlineData("0,5", 0.5)]
    [InlineData("-5", -5)]
    public void Money_is_read_as_people_type_it(string text, double expected)
    {
        Assert.True(DealFields.TryParseMoney(text, out var value));
        Assert.Equal((decimal)expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("много")]
    [InlineData("1,2,3.4.5")]
    public void Money_that_is_not_a_number_is_refused(string text) =>
        Assert.False(DealFields.TryParseMoney(text, out _));

    [Theory]
    [InlineData("ru-RU")]
    [InlineData("en-US")]
    [InlineData("de-DE")]
    public void Money_shown_in_a_form_reads_back_in_every_culture(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        foreach (var amount in new[] { 107_800.45m, 1_234m, 0.5m, 999_999_999_999m })
        {
            Assert.True(DealFields.TryParseMoney(DealFields.MoneyInput(amount, culture), out var back));
            Assert.Equal(amount, back);
        }
    }

    [Fact]
    public void Money_is_shown_grouped_by_spaces_in_russian() =>
        Assert.Matches("^107[ \u00a0\u202f]800,45$", DealFields.MoneyInput(107_800.45m, CultureInfo.GetCultureInfo("ru-RU")));
}
