using System.Globalization;

namespace Crm.SharedKernel.Text;

/// <summary>
/// Money as the user's culture writes it: "1 234 567,50 ₽" in ru (thin no-break space between
/// thousands), "₽1,234,567.50" in en; whole amounts without kopecks on boards and lists.
/// </summary>
public static class MoneyText
{
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.OrdinalIgnoreCase)
    {
        ["RUB"] = "₽",
        ["USD"] = "$",
        ["EUR"] = "€",
        ["CNY"] = "¥",
        ["KZT"] = "₸",
        ["BYN"] = "Br",
    };

    public static string Symbol(string currency) => Symbols.GetValueOrDefault(currency, currency.ToUpperInvariant());

    /// <param name="whole">Round to whole units (board columns, cards): kopecks there are noise.</param>
    public static string Format(decimal amount, string currency, CultureInfo? culture = null, bool whole = false)
    {
        culture ??= CultureInfo.CurrentCulture;
        var number = (NumberFormatInfo)culture.NumberFormat.Clone();
        if (culture.TwoLetterISOLanguageName == "ru")
        {
            number.NumberGroupSeparator = "\u202f";
        }

        var digits = whole ? 0 : (amount == decimal.Truncate(amount) ? 0 : 2);
        var text = amount.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), number);
        var symbol = Symbol(currency);
        return culture.TwoLetterISOLanguageName == "ru" ? $"{text}\u00a0{symbol}" : symbol.Length == 1 ? symbol + text : $"{text} {symbol}";
    }
}
