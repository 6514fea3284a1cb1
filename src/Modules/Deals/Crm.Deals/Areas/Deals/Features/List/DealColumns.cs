using System.Globalization;
using System.Text.Encodings.Web;
using Crm.CustomFields.Contracts;
using Crm.Deals.Domain;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Text;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Areas.Deals.Features.List;

/// <summary>
/// A column the deals list can show and its export can write: a stable key (remembered in the user's
/// choice), its heading in the user's language, the cell's text (the export writes exactly this),
/// optionally richer HTML for the page, the sort its header switches to, and the responsive class that
/// hides it on narrow screens.
/// </summary>
internal sealed record DealColumn(string Key, string Heading, Func<Deal, string?> Text)
{
    public Func<Deal, IHtmlContent>? Html { get; init; }

    public string? Sort { get; init; }

    public string CssClass { get; init; } = "";

    public IHtmlContent Cell(Deal deal) => Html?.Invoke(deal) ?? new HtmlString(DealColumns.Encoder.Encode(Text(deal) ?? ""));
}

/// <summary>What cells need besides the deal: the language, owners' names, stages, the clock, the custom fields.</summary>
internal sealed record DealColumnContext(
    IStringLocalizer L,
    IReadOnlyDictionary<Guid, UserSummary> Owners,
    IReadOnlyDictionary<Guid, (Pipeline Pipeline, Stage Stage)> Stages,
    TimeZoneInfo TimeZone,
    DateTimeOffset Now,
    ICustomFieldSet Custom)
{
    public CultureInfo Culture => CultureInfo.CurrentCulture;

    public Stage? StageOf(Deal deal) => Stages.TryGetValue(deal.StageId, out var found) ? found.Stage : null;

    public bool IsStalled(Deal deal) => StageOf(deal)?.IsStalled(deal.StageEnteredAt, Now) ?? false;

    public string Date(DateTimeOffset value) => TimeZoneInfo.ConvertTime(value, TimeZone).ToString("d", Culture);
}

/// <summary>
/// The deals list's column registry and its default choice. The title is always shown, first. To add a
/// column, append a <see cref="DealColumn"/> with a new key and its heading to the resources.
/// </summary>
internal static class DealColumns
{
    public const string TitleKey = "title";
    public const string CustomPrefix = "cf:";

    public static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static readonly string[] Defaults = [TitleKey, "number", "client", "amount", "stage", "owner", "expectedClose"];

    public static List<DealColumn> All(DealColumnContext c)
    {
        var L = c.L;
        var columns = new List<DealColumn>
        {
            new(TitleKey, L["Title"], d => d.Title) { Html = d => TitleCell(d, c), Sort = "title" },
            new("number", L["Number"], d => d.DisplayNumber) { CssClass = "d-none d-md-table-cell text-nowrap" },
            new("client", L["Client"], d => d.ClientName) { CssClass = "d-none d-md-table-cell" },
            new("amount", L["Amount"], d => MoneyText.Format(d.Amount, d.Currency, c.Culture)) { Sort = "amount", CssClass = "text-end text-nowrap" },
            new("stage", L["Stage"], d => c.StageOf(d)?.Name) { Html = d => StageBadge(c.StageOf(d)), Sort = "stageEntered" },
            new("pipeline", L["Pipeline"], d => c.Stages.TryGetValue(d.StageId, out var s) ? s.Pipeline.Name : null) { CssClass = "d-none d-lg-table-cell" },
            new("owner", L["Responsible"], d => c.Owners.TryGetValue(d.OwnerId, out var owner) ? owner.FullName : "—") { CssClass = "d-none d-sm-table-cell" },
            new("expectedClose", L["Expected close"], d => d.ExpectedClose?.ToString("d", c.Culture)) { Sort = "expectedClose", CssClass = "d-none d-md-table-cell text-nowrap" },
            new("probability", L["Probability"], d => (d.Probability ?? c.StageOf(d)?.Probability) is { } p ? p.ToString(CultureInfo.InvariantCulture) + " %" : null) { CssClass = "d-none d-lg-table-cell text-end" },
            new("created", L["Created"], d => c.Date(d.CreatedAt)) { Sort = "created", CssClass = "d-none d-md-table-cell text-nowrap" },
            new("daysInStage", L["Days in stage"], d => Stage.DaysIn(d.StageEnteredAt, c.Now).ToString(CultureInfo.InvariantCulture)) { CssClass = "d-none d-md-table-cell text-end" },
            // Kept by the Tasks module's events; an open deal with no task is the one to look at.
            new("nextTask", L["Next task"], d => d.NextTaskAt is { } next ? c.Date(next) : "—") { CssClass = "d-none d-md-table-cell text-nowrap" },
            new("stalled", L["Stalled"], d => c.IsStalled(d) ? L["Yes"] : L["No"]) { CssClass = "d-none d-md-table-cell" },
        };
        foreach (var field in c.Custom.Fields)
        {
            columns.Add(new(CustomPrefix + field.Key, field.Label, d => c.Custom.Text(field, d.CustomFields)) { CssClass = "d-none d-md-table-cell" });
        }

        return columns;
    }

    /// <summary>The title first, always; then the chosen keys the registry knows (a removed column is skipped); no choice yet means the defaults.</summary>
    public static List<DealColumn> Choose(IReadOnlyList<DealColumn> all, IEnumerable<string>? chosen)
    {
        var byKey = all.ToDictionary(c => c.Key, StringComparer.Ordinal);
        var keys = (chosen ?? Defaults).Where(k => k != TitleKey).Distinct(StringComparer.Ordinal);
        return [byKey[TitleKey], .. keys.Where(byKey.ContainsKey).Select(k => byKey[k])];
    }

    private static HtmlString TitleCell(Deal deal, DealColumnContext c)
    {
        var html = $"<a href=\"/deals/{deal.Id}\">{Encoder.Encode(deal.Title)}</a>";
        if (c.IsStalled(deal))
        {
            html += $" <span class=\"badge text-bg-danger\" title=\"{Encoder.Encode(c.L["Longer in this stage than its time limit"])}\">{Encoder.Encode(c.L["Stalled"])}</span>";
        }

        return new HtmlString(html);
    }

    /// <summary>The stage's name on its colour, with dark or light text for contrast (WCAG AA).</summary>
    public static HtmlString StageBadge(Stage? stage)
    {
        if (stage is null)
        {
            return new HtmlString("—");
        }

        var color = stage.Color is { Length: 7 } hex && hex[0] == '#' && hex[1..].All(Uri.IsHexDigit) ? hex : "#6c757d";
        var text = Luminance(color) > 0.179 ? "#000" : "#fff";
        return new HtmlString($"<span class=\"badge crm-stage-badge\" style=\"background-color:{color};color:{text}\">{Encoder.Encode(stage.Name)}</span>");
    }

    private static double Luminance(string hex)
    {
        double Channel(int offset)
        {
            var value = int.Parse(hex.AsSpan(offset, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return value <= 0.03928 ? value / 12.92 : Math.Pow((value + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(1)) + (0.7152 * Channel(3)) + (0.0722 * Channel(5));
    }
}
