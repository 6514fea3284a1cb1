using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Crm.CustomFields.Contracts;
using Crm.Deals.Domain;
using Crm.Deals.Pipelines;

namespace Crm.Deals.Areas.Deals.Features.Pipelines;

/// <summary>A new pipeline: from a template (goods sale, service sale) or empty.</summary>
internal sealed class NewPipelineForm
{
    public const string Empty = "empty";

    [Display(Name = "Start from")]
    public string Template { get; set; } = PipelineTemplates.Goods;

    [Display(Name = "Name")]
    [StringLength(100, ErrorMessage = "At most {1} characters.")]
    public string? Name { get; set; }
}

internal sealed partial class PipelineForm
{
    [Display(Name = "Name")]
    [Required(ErrorMessage = "Enter the name.")]
    [StringLength(100, ErrorMessage = "At most {1} characters.")]
    public string Name { get; set; } = "";

    [Display(Name = "Transition mode")]
    public TransitionMode Mode { get; set; }

    [Display(Name = "Allow going back to an earlier stage")]
    public bool AllowBack { get; set; }

    [Display(Name = "Currency")]
    [Required(ErrorMessage = "Enter a three-letter currency code like RUB.")]
    public string Currency { get; set; } = "RUB";

    public static PipelineForm From(Pipeline pipeline) => new()
    {
        Name = pipeline.Name,
        Mode = pipeline.Mode,
        AllowBack = pipeline.AllowBack,
        Currency = pipeline.Currency,
    };

    public static bool IsCurrency(string? code) => code is not null && CurrencyCode().IsMatch(code.Trim());

    [GeneratedRegex("^[A-Za-z]{3}$")]
    private static partial Regex CurrencyCode();
}

internal sealed partial class StageForm
{
    [Display(Name = "Name")]
    [Required(ErrorMessage = "Enter the name.")]
    [StringLength(100, ErrorMessage = "At most {1} characters.")]
    public string Name { get; set; } = "";

    [Display(Name = "Colour")]
    [Required(ErrorMessage = "Choose a colour like #1a7f5a.")]
    public string Color { get; set; } = "#6c8ebf";

    [Display(Name = "Kind")]
    public StageKind Kind { get; set; }

    [Display(Name = "Pause stage (reachable from anywhere, never stalled)")]
    public bool IsPause { get; set; }

    [Display(Name = "Time limit, days")]
    [Range(1, 365, ErrorMessage = "Enter from 1 to 365 days, or leave it empty.")]
    public int? TimeLimitDays { get; set; }

    [Display(Name = "Probability, %")]
    [Range(0, 100, ErrorMessage = "Enter a probability from 0 to 100.")]
    public int Probability { get; set; }

    [Display(Name = "Required fields")]
    public List<string> RequiredFields { get; set; } = [];

    public static StageForm From(Stage stage) => new()
    {
        Name = stage.Name,
        Color = stage.Color,
        Kind = stage.Kind,
        IsPause = stage.IsPause,
        TimeLimitDays = stage.TimeLimitDays,
        Probability = stage.Probability,
        RequiredFields = stage.RequiredFields.ToList(),
    };

    public static bool IsColor(string? color) => color is not null && HexColor().IsMatch(color.Trim());

    public void ApplyTo(Stage stage, IReadOnlyCollection<string> requirable)
    {
        stage.Name = Name.Trim();
        stage.Color = Color.Trim().ToLowerInvariant();
        stage.Kind = Kind;
        stage.IsPause = Kind == StageKind.Open && IsPause;
        stage.TimeLimitDays = TimeLimitDays;
        stage.Probability = Probability;
        // Keys that are no longer offered (a custom field removed since) are dropped rather than kept invisibly.
        stage.RequiredFields = RequiredFields.Where(requirable.Contains).Distinct(StringComparer.Ordinal).ToList();
    }

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex HexColor();
}

/// <summary>A field a stage can require, as the editor offers it: the key stored on the stage and its label.</summary>
internal sealed record RequirableChoice(string Key, string Label, bool IsCustom);

internal sealed record PipelineRow(Pipeline Pipeline, int DealCount);

internal sealed record PipelineListPage(IReadOnlyList<PipelineRow> Pipelines, NewPipelineForm New);

internal sealed record PipelineEditPage(Pipeline Pipeline, PipelineForm Form, IReadOnlyDictionary<Guid, int> StageDealCounts, IReadOnlyList<RequirableChoice> Requirable)
{
    public string LabelOf(string key) => Requirable.FirstOrDefault(r => r.Key == key)?.Label ?? key;
}

internal sealed record StageFormPage(Pipeline Pipeline, Guid? StageId, StageForm Form, IReadOnlyList<RequirableChoice> Requirable)
{
    public bool IsNew => StageId is null;
}

internal sealed record StageDeletePage(Pipeline Pipeline, Stage Stage, int DealCount, IReadOnlyList<Stage> Targets, Guid? TargetStageId, string? Refusal);

internal static class RequirableChoices
{
    public static IReadOnlyList<RequirableChoice> Of(IEnumerable<CustomFieldDefinition> customFields, Func<string, string> translate) =>
        DealFields.Standard.Select(f => new RequirableChoice(f.Key, translate(f.Label), false))
            .Concat(customFields.Select(f => new RequirableChoice(RequirableField.CustomPrefix + f.Key, f.Label, true)))
            .ToList();
}

/// <summary>The keyboard fallback of a drag and drop list: a form posting "up" or "down" for one item.</summary>
internal sealed record MoveButtons(string Url, string Name, bool IsFirst, bool IsLast);
