using System.Globalization;
using System.Net;
using Crm.SharedKernel.Text;
using DotLiquid;

namespace Crm.SharedKernel.Templates;

/// <summary>
/// The one template language of Crm: Liquid (through DotLiquid) with placeholders like <c>{{ deal.title }}</c>,
/// <c>{{ client.name }}</c>, <c>{{ owner.name }}</c> and <c>{{ deal.custom.inn }}</c>, and Liquid's filters and
/// tags (<c>{{ deal.title | upcase }}</c>, <c>{% if deal.amount > 100000 %}</c>). Mail templates, scenario texts
/// (a task's title, a notification) and later documents all render here, against a model of nested
/// dictionaries (<see cref="PlaceholderModel"/>), so a placeholder means the same thing everywhere. An
/// unknown placeholder renders empty: a template must not fail because a field is not filled. Two filters
/// of Crm's own write values in the render culture (<see cref="TemplateFilters"/>):
/// <c>{{ deal.amount | money }}</c> and <c>{{ deal.expected_close | date }}</c>.
/// </summary>
public static class TemplateText
{
    /// <summary>Parses a template; on a syntax error, the parser's message.</summary>
    public static bool TryParse(string? source, out Template template, out string? error)
    {
        try
        {
            template = Template.Parse(source ?? "");
            error = null;
            return true;
        }
        catch (DotLiquid.Exceptions.LiquidException exception)
        {
            template = Template.Parse("");
            error = exception.Message;
            return false;
        }
    }

    /// <summary>Renders plain text (a subject, a task title, a notification): values are written as they are.</summary>
    public static Task<string> RenderTextAsync(Template template, PlaceholderModel model, CultureInfo? culture = null) =>
        Task.FromResult(Render(template, model.Values, culture));

    /// <summary>Renders HTML (a mail body): values are HTML-encoded, the template's own markup is kept.</summary>
    public static Task<string> RenderHtmlAsync(Template template, PlaceholderModel model, CultureInfo? culture = null) =>
        Task.FromResult(Render(template, Encoded(model.Values), culture));

    /// <summary>Parses and renders plain text in one step; a template that does not parse renders as typed.</summary>
    public static async Task<string> RenderTextAsync(string? source, PlaceholderModel model, CultureInfo? culture = null) =>
        TryParse(source, out var template, out _) ? await RenderTextAsync(template, model, culture) : source ?? "";

    private static string Render(Template template, IReadOnlyDictionary<string, object?> values, CultureInfo? culture)
    {
        var parameters = new RenderParameters(culture ?? CultureInfo.CurrentCulture)
        {
            LocalVariables = Hash.FromDictionary(values.ToDictionary(p => p.Key, p => p.Value!)),
            ErrorsOutputMode = ErrorsOutputMode.Suppress,
            Filters = [typeof(TemplateFilters)],
        };
        return template.Render(parameters);
    }

    // DotLiquid writes values as they are; in HTML every string a record holds is encoded first.
    private static Dictionary<string, object?> Encoded(IReadOnlyDictionary<string, object?> values) =>
        values.ToDictionary(p => p.Key, p => p.Value switch
        {
            string text => WebUtility.HtmlEncode(text),
            IReadOnlyDictionary<string, object?> nested => Encoded(nested),
            var other => other,
        });
}

/// <summary>
/// Crm's own Liquid filters, writing values as the render culture does (DotLiquid names them in snake case):
/// <c>money</c> — an amount with its currency, "1 500 000,50 ₽" in ru and "₽1,500,000.50" in en (as
/// <see cref="MoneyText"/> writes money everywhere in Crm); the currency is the filter's argument
/// (<c>| money: "USD"</c>), else the model's <c>deal.currency</c>, else none (the number alone).
/// <c>date</c> — a date or moment ("2026-11-22", a date value), the culture's short date by default or a .NET
/// format (<c>| date: "d MMMM yyyy"</c> → "22 ноября 2026"). What is not a number or a date is left as it is.
/// </summary>
public static class TemplateFilters
{
    public static object? Money(Context context, object? input, string? currency = null)
    {
        if (!TryNumber(input, out var amount))
        {
            return input;
        }

        var culture = Culture(context);
        currency = string.IsNullOrWhiteSpace(currency) ? context["deal.currency"] as string : currency;
        return string.IsNullOrWhiteSpace(currency)
            ? amount.ToString(amount == decimal.Truncate(amount) ? "N0" : "N2", culture)
            : MoneyText.Format(amount, currency.Trim(), culture);
    }

    public static object? Date(Context context, object? input, string? format = null)
    {
        var culture = Culture(context);
        format = string.IsNullOrWhiteSpace(format) ? "d" : format;
        return input switch
        {
            DateOnly day => day.ToString(format, culture),
            DateTime moment => moment.ToString(format, culture),
            DateTimeOffset moment => moment.ToString(format, culture),
            string text when DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) => day.ToString(format, culture),
            string text when DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment) => moment.ToString(format, culture),
            _ => input,
        };
    }

    private static CultureInfo Culture(Context context) => context.FormatProvider as CultureInfo ?? CultureInfo.CurrentCulture;

    private static bool TryNumber(object? input, out decimal amount)
    {
        switch (input)
        {
            case decimal value:
                amount = value;
                return true;
            case int or long or double or float:
                amount = Convert.ToDecimal(input, CultureInfo.InvariantCulture);
                return true;
            case string text:
                return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out amount);
            default:
                amount = 0;
                return false;
        }
    }
}

/// <summary>
/// What placeholders can say: top-level names ("deal", "client", "owner") each holding a dictionary of
/// fields (nested dictionaries for custom fields: "custom"). Built by the module that owns the record
/// (<see cref="IPlaceholderSource"/>); values are strings, numbers or dates as the record has them.
/// </summary>
public sealed class PlaceholderModel
{
    private readonly Dictionary<string, object?> values = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, object?> Values => values;

    public PlaceholderModel Set(string name, IReadOnlyDictionary<string, object?> fields)
    {
        values[name] = fields.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return this;
    }

    /// <summary>The fields under a top-level name, or null.</summary>
    public IReadOnlyDictionary<string, object?>? Fields(string name) => values.GetValueOrDefault(name) as IReadOnlyDictionary<string, object?>;

    /// <summary>This model with <paramref name="other"/>'s names added (a name both have keeps this one's fields).</summary>
    public PlaceholderModel With(PlaceholderModel other)
    {
        foreach (var (name, value) in other.values)
        {
            values.TryAdd(name, value);
        }

        return this;
    }
}

/// <summary>
/// The placeholders of one kind of record, implemented by the module that owns it and registered as
/// <c>services.AddScoped&lt;IPlaceholderSource, ...&gt;()</c>: Deals for "deal" (deal, client, owner),
/// Clients for "company", "contact" and "lead" (client, owner). Mail and scenarios render with it; neither
/// reads another module's tables.
/// </summary>
public interface IPlaceholderSource
{
    /// <summary>The record kind it describes ("deal", "company"...), as tasks and timelines name kinds.</summary>
    string Kind { get; }

    /// <summary>
    /// The record's placeholders, or null when it does not exist. No access check: the caller decides who
    /// may render what (a scenario runs as the system; a page renders only records the user may view).
    /// </summary>
    Task<PlaceholderModel?> ModelAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The placeholders this kind offers, for the template editor's hint ("deal.title", "client.name").</summary>
    IReadOnlyList<string> Names { get; }
}
