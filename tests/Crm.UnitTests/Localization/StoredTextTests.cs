using System.Globalization;
using Crm.SharedKernel.Localization;
using Microsoft.Extensions.Localization;
using Xunit;

namespace Crm.UnitTests.Localization;

public sealed class StoredTextTests
{
    /// <summary>A Russian localizer of three keys; any other key is its own text, as the resource localizer does.</summary>
    private sealed class Russian : IStringLocalizer
    {
        private static readonly Dictionary<string, string> Texts = new()
        {
            ["Scenario «{0}»: {1}"] = "Сценарий «{0}»: {1}",
            ["task set"] = "задача поставлена",
            ["HTTP {0} in {1} ms"] = "HTTP {0} за {1} мс",
        };

        public LocalizedString this[string name] => new(name, Texts.GetValueOrDefault(name, name), !Texts.ContainsKey(name));

        public LocalizedString this[string name, params object[] arguments] =>
            new(name, string.Format(CultureInfo.CurrentCulture, Texts.GetValueOrDefault(name, name), arguments), !Texts.ContainsKey(name));

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => [];
    }

    [Fact]
    public void A_key_with_arguments_and_a_translated_argument_reads_back_in_the_readers_language()
    {
        var stored = new StoredText("Scenario «{0}»: {1}", "Звонок {\"key\": 1}", new StoredText("task set")).Store();

        Assert.Equal("Сценарий «Звонок {\"key\": 1}»: задача поставлена", StoredText.Render(new Russian(), stored));
        Assert.DoesNotContain("\\u", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_without_arguments_is_stored_as_the_key_and_plain_text_from_before_reads_as_it_is()
    {
        Assert.Equal("task set", new StoredText("task set").Store());
        Assert.Equal("задача поставлена", StoredText.Render(new Russian(), "task set"));
        Assert.Equal("HTTP 500 in 12 ms", StoredText.Render(new Russian(), "HTTP 500 in 12 ms"));
        Assert.Equal("{\"key\": broken", StoredText.Render(new Russian(), "{\"key\": broken"));
        Assert.Equal("", StoredText.Render(new Russian(), null));
    }

    [Fact]
    public void Numbers_are_kept_as_numbers_and_a_long_argument_is_shortened_so_the_stored_text_fits_whole()
    {
        Assert.Equal("HTTP 502 за 35 мс", StoredText.Render(new Russian(), new StoredText("HTTP {0} in {1} ms", 502, 35L).Store()));

        var stored = new StoredText("No answer ({0}: {1}) after {2} ms", "HttpRequestException", new string('ы', 5000), 10).Store(400);

        Assert.True(stored.Length <= 400);
        var read = StoredText.Read(stored);
        Assert.Equal("No answer ({0}: {1}) after {2} ms", read.Key);
        Assert.Equal("HttpRequestException", read.Args[0]);
        Assert.EndsWith("…", (string)read.Args[1]!, StringComparison.Ordinal);
        Assert.Equal(10m, read.Args[2]);
    }
}
