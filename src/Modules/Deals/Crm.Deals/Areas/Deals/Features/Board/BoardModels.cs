using System.Globalization;
using System.Linq.Expressions;
using Crm.CustomFields.Contracts;
using Crm.Deals.Areas.Deals.Features.Shared;
using Crm.Deals.Domain;
using Crm.Deals.Moving;
using Crm.Identity.Contracts;

namespace Crm.Deals.Areas.Deals.Features.Board;

/// <summary>The board of one pipeline: its columns with their first cards, the switcher, the filters.</summary>
internal sealed record BoardPage(
    Pipeline Pipeline,
    IReadOnlyList<Pipeline> Pipelines,
    IReadOnlyList<BoardColumn> Columns,
    DealFilterPanel Filters,
    bool CanCreate)
{
    /// <summary>The filters as a query string ("" or "?…"), for the list link.</summary>
    public string Query => Filters.Query.QueryString();
}

/// <summary>A stage's column: its totals within the scope and filters, its first cards, the link to more.</summary>
internal sealed record BoardColumn(Stage Stage, ColumnTotals Totals, string Sum, string? Other, IReadOnlyList<BoardCard> Cards, string? MoreUrl)
{
    /// <summary>Pause and lost stages stand at the end, narrower and greyed.</summary>
    public bool Muted => Stage.IsPause || Stage.Kind == StageKind.Lost;

    public string Color => BoardCard.SafeColor(Stage.Color);
}

/// <summary>A column head's numbers: every deal counted, amounts summed in the pipeline's currency only.</summary>
internal sealed record ColumnTotals(Guid StageId, int Count, decimal Sum, int OtherCurrencies)
{
    public static ColumnTotals Empty(Guid stageId) => new(stageId, 0, 0m, 0);
}

/// <summary>What a card reads from a deal: one row of the board's query.</summary>
internal sealed record CardRow(
    Guid Id, int Year, int Number, string Title, string? Client, decimal Amount, string Currency, Guid OwnerId, Guid StageId, DateTimeOffset StageEnteredAt, uint Version)
{
    public static readonly Expression<Func<Deal, CardRow>> FromDeal = d => new CardRow(
        d.Id, d.Year, d.Number, d.Title, d.CompanyName ?? d.ContactName ?? d.LeadName, d.Amount, d.Currency, d.OwnerId, d.StageId, d.StageEnteredAt, d.Version);

    public static CardRow Of(Deal d) => new(d.Id, d.Year, d.Number, d.Title, d.ClientName, d.Amount, d.Currency, d.OwnerId, d.StageId, d.StageEnteredAt, d.Version);

    /// <summary>The keyset position after this card: "ticks_id" of (entered, id), newest first.</summary>
    public string Cursor => BoardCursor.Format(StageEnteredAt, Id);
}

/// <summary>A card as the board shows it.</summary>
internal sealed record BoardCard(
    Guid Id, string Number, string Title, string? Client, string Amount, string OwnerName, string OwnerInitials, int Days, bool Stalled, uint Version, Guid StageId)
{
    public static BoardCard Of(CardRow row, Stage stage, UserSummary? owner, DateTimeOffset now) => new(
        row.Id,
        Deal.FormatNumber(row.Year, row.Number),
        row.Title,
        row.Client,
        Crm.SharedKernel.Text.MoneyText.Format(row.Amount, row.Currency, whole: true),
        owner?.FullName ?? "—",
        owner?.Initials ?? "?",
        Stage.DaysIn(row.StageEnteredAt, now),
        stage.IsStalled(row.StageEnteredAt, now),
        row.Version,
        row.StageId);

    /// <summary>A stage colour goes into an SVG fill attribute: only #rrggbb, anything else is grey.</summary>
    public static string SafeColor(string? color) =>
        color is { Length: 7 } && color[0] == '#' && color.Skip(1).All(char.IsAsciiHexDigit) ? color : "#6c757d";
}

/// <summary>The next cards of a column (the htmx answer to "more"), with the link after them.</summary>
internal sealed record MoreCards(Guid StageId, IReadOnlyList<BoardCard> Cards, string? MoreUrl);

/// <summary>The "more" element after a column's cards: loads the next ones when scrolled into view or clicked.</summary>
internal sealed record MoreLink(Guid StageId, string? Url, bool OutOfBand);

/// <summary>The keyset cursor of a column: the card's (stage entered, id) as "ticks_id".</summary>
internal static class BoardCursor
{
    public static string Format(DateTimeOffset enteredAt, Guid id) =>
        enteredAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "_" + id.ToString("N");

    public static bool TryParse(string? text, out DateTimeOffset enteredAt, out Guid id)
    {
        enteredAt = default;
        id = default;
        var parts = text?.Split('_');
        if (parts is not [var ticks, var guid]
            || !long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            || value < DateTimeOffset.MinValue.UtcTicks || value > DateTimeOffset.MaxValue.UtcTicks
            || !Guid.TryParse(guid, out id))
        {
            return false;
        }

        enteredAt = new DateTimeOffset(value, TimeSpan.Zero);
        return true;
    }
}

/// <summary>
/// A dropped card: the stage, the version the board showed, and what the dialog filled in: a loss reason
/// and comment, standard fields as fields[key], custom fields as custom[key] (the CustomFields inputs).
/// </summary>
internal sealed class MoveForm
{
    public Guid StageId { get; set; }

    public uint? Version { get; set; }

    public Guid? LossReasonId { get; set; }

    public string? LossComment { get; set; }

    public Dictionary<string, string?> Fields { get; set; } = [];

    public Dictionary<string, string[]> Custom { get; set; } = [];

    /// <summary>The values for the mover: standard keys as they are, custom ones as "cf:key" (a multiple choice one per line).</summary>
    public Dictionary<string, string?> Typed()
    {
        var typed = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in Fields)
        {
            if (!key.StartsWith(RequirableField.CustomPrefix, StringComparison.Ordinal))
            {
                typed[key] = value;
            }
        }

        foreach (var (key, values) in Custom)
        {
            typed[RequirableField.CustomPrefix + key] = string.Join('\n', values.Where(v => !string.IsNullOrWhiteSpace(v)));
        }

        return typed;
    }
}

/// <summary>The dialog asking for what the target stage needs: one input per field missing or typed wrong.</summary>
internal sealed record MoveDialog(
    Guid DealId,
    Guid StageId,
    uint? Version,
    string? Message,
    IReadOnlyList<MissingField> Fields,
    IReadOnlyDictionary<string, string> Errors,
    MoveForm Posted,
    CustomFieldInputs? Custom);
