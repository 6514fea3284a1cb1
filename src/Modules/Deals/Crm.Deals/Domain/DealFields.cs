using System.Globalization;
using Crm.SharedKernel.Localization;

namespace Crm.Deals.Domain;

/// <summary>A field a stage can require: its key, its English label (a text key), how to tell it is filled, and how to set it from typed text.</summary>
internal sealed record RequirableField(string Key, string Label, Func<Deal, bool> IsFilled, Func<Deal, string, string?> Set)
{
    /// <summary>Custom fields are required as "cf:key".</summary>
    public const string CustomPrefix = "cf:";
}

/// <summary>
/// The standard deal fields a stage may require before a deal enters it. <see cref="RequirableField.Set"/>
/// answers null when the text was taken, or the English text key of the problem.
/// </summary>
internal static class DealFields
{
    public static readonly IReadOnlyList<RequirableField> Standard =
    [
        new("amount", TextKey.Of("Amount"), d => d.Amount > 0, (d, text) => SetAmount(d, text)),
        new("expectedClose", TextKey.Of("Expected close"), d => d.ExpectedClose is not null, (d, text) => SetDate(d, text)),
        new("probability", TextKey.Of("Probability"), d => d.Probability is not null, (d, text) => SetProbability(d, text)),
        new("source", TextKey.Of("Source"), d => d.Source is not null, (d, text) => SetEnum<DealSource>(text, value => d.Source = value)),
        new("paymentForm", TextKey.Of("Payment form"), d => d.PaymentForm is not null, (d, text) => SetEnum<PaymentForm>(text, value => d.PaymentForm = value)),
        new("delivery", TextKey.Of("Delivery"), d => d.Delivery is not null, (d, text) => SetEnum<DeliveryKind>(text, value => d.Delivery = value)),
        new("company", TextKey.Of("Company"), d => d.CompanyId is not null, (_, _) => TextKey.Of("Link the company on the deal card.")),
        new("contact", TextKey.Of("Contact"), d => d.ContactId is not null, (_, _) => TextKey.Of("Link the contact on the deal card.")),
    ];

    public static RequirableField? Find(string key) => Standard.FirstOrDefault(f => f.Key == key);

    public static bool IsKnownStandard(string key) => Find(key) is not null;

    /// <summary>
    /// Amounts as people type them or as <see cref="MoneyInput"/> shows them: "1 234,50", "1234.5",
    /// "1,234.50", "1.234,50", with spaces or no-break spaces between thousands. With both marks the last
    /// one is the decimal mark; a lone comma or point is one too, unless it repeats ("1,234,567").
    /// </summary>
    public static bool TryParseMoney(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var cleaned = string.Concat(text.Where(c => !char.IsWhiteSpace(c) && c != '\u202f'));
        var comma = cleaned.LastIndexOf(',');
        var point = cleaned.LastIndexOf('.');
        char? grouping = comma >= 0 && point >= 0 ? (comma > point ? '.' : ',')
            : comma >= 0 && cleaned.IndexOf(',', StringComparison.Ordinal) != comma ? ','
            : point >= 0 && cleaned.IndexOf('.', StringComparison.Ordinal) != point ? '.'
            : null;
        if (grouping is { } mark)
        {
            cleaned = cleaned.Replace(mark.ToString(), "", StringComparison.Ordinal);
        }

        return decimal.TryParse(cleaned.Replace(',', '.'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// An amount in a form's input, as the user's culture writes it ("107 800,45" in ru). Thousands are
    /// grouped only where the culture groups them with a space: a grouping comma or point ("107,800" in
    /// en) would read back as a decimal mark.
    /// </summary>
    public static string MoneyInput(decimal value, CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentCulture;
        var grouped = culture.NumberFormat.NumberGroupSeparator.All(c => char.IsWhiteSpace(c) || c == '\u202f');
        return value.ToString(grouped ? "#,0.##" : "0.##", culture);
    }

    private static string? SetAmount(Deal deal, string text)
    {
        if (deal.Items.Count > 0)
        {
            return TextKey.Of("The amount is the total of the line items; change the items instead.");
        }

        if (!TryParseMoney(text, out var amount) || amount <= 0 || amount > 999_999_999_999m)
        {
            return TextKey.Of("Enter an amount greater than zero.");
        }

        deal.Amount = Math.Round(amount, 2);
        return null;
    }

    private static string? SetDate(Deal deal, string text)
    {
        if (Crm.SharedKernel.Text.TypedDate.Parse(text) is not { } date)
        {
            return TextKey.Of("Enter a date like 31.12.2026.");
        }

        deal.ExpectedClose = date;
        return null;
    }

    private static string? SetProbability(Deal deal, string text)
    {
        if (!int.TryParse(text.Trim().TrimEnd('%'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value is < 0 or > 100)
        {
            return TextKey.Of("Enter a probability from 0 to 100.");
        }

        deal.Probability = value;
        return null;
    }

    private static string? SetEnum<T>(string text, Action<T> set)
        where T : struct, Enum
    {
        if (!Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) || !Enum.IsDefined(value))
        {
            return TextKey.Of("Choose a value from the list.");
        }

        set(value);
        return null;
    }
}
