using Crm.Deals.Domain;
using Crm.SharedKernel.Localization;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Pipelines;

/// <summary>
/// The pipelines an admin can start from (PRODUCT.md, section 2): goods sale and service sale, each
/// with a pause stage and a lost stage, in order mode. Stage names are created in the admin's language.
/// </summary>
internal static class PipelineTemplates
{
    public const string Goods = "goods";
    public const string Services = "services";

    public static readonly IReadOnlyList<(string Key, string Name)> All =
    [
        (Goods, TextKey.Of("Goods sale")),
        (Services, TextKey.Of("Service sale")),
    ];

    private sealed record StageTemplate(string Name, string Color, StageKind Kind, int Probability, int? Days, bool IsPause = false, params string[] Required);

    private static readonly StageTemplate[] GoodsStages =
    [
        new(TextKey.Of("Initial interest"), "#6c8ebf", StageKind.Open, 10, 7),
        new(TextKey.Of("Proposal"), "#5b9bd5", StageKind.Open, 25, 5),
        new(TextKey.Of("Negotiation"), "#4a90a4", StageKind.Open, 40, 10),
        new(TextKey.Of("Proposal approved"), "#3c9d7a", StageKind.Open, 60, 5, false, "amount"),
        new(TextKey.Of("Invoice sent"), "#5aa25a", StageKind.Open, 75, 7, false, "amount", "paymentForm"),
        new(TextKey.Of("Paid"), "#7fb13d", StageKind.Open, 90, 5),
        new(TextKey.Of("Shipped"), "#2e8b57", StageKind.Won, 100, null, false, "delivery"),
        new(TextKey.Of("Paused"), "#adb5bd", StageKind.Open, 10, null, true),
        new(TextKey.Of("Lost"), "#c0392b", StageKind.Lost, 0, null),
    ];

    private static readonly StageTemplate[] ServiceStages =
    [
        new(TextKey.Of("Initial interest"), "#6c8ebf", StageKind.Open, 10, 7),
        new(TextKey.Of("Site survey"), "#5b9bd5", StageKind.Open, 20, 10),
        new(TextKey.Of("Estimate"), "#4a90a4", StageKind.Open, 35, 7),
        new(TextKey.Of("Estimate approved"), "#3c9d7a", StageKind.Open, 60, 5, false, "amount", "expectedClose"),
        new(TextKey.Of("Paid"), "#7fb13d", StageKind.Open, 80, 5, false, "paymentForm"),
        new(TextKey.Of("Work done"), "#5aa25a", StageKind.Open, 95, 14),
        new(TextKey.Of("Accepted"), "#2e8b57", StageKind.Won, 100, null),
        new(TextKey.Of("Paused"), "#adb5bd", StageKind.Open, 10, null, true),
        new(TextKey.Of("Lost"), "#c0392b", StageKind.Lost, 0, null),
    ];

    /// <summary>A new pipeline from a template, with names in the current UI culture.</summary>
    public static Pipeline Create(string template, IStringLocalizer L, int position, DateTimeOffset now)
    {
        var (stages, name) = template == Services ? (ServiceStages, All[1].Name) : (GoodsStages, All[0].Name);
        var pipeline = new Pipeline
        {
            Id = Guid.CreateVersion7(),
            Name = L[name],
            Mode = TransitionMode.InOrder,
            AllowBack = true,
            Currency = "RUB",
            Position = position,
            CreatedAt = now,
        };
        pipeline.Stages = stages.Select((s, i) => new Stage
        {
            Id = Guid.CreateVersion7(),
            PipelineId = pipeline.Id,
            Name = L[s.Name],
            Color = s.Color,
            Kind = s.Kind,
            IsPause = s.IsPause,
            Position = i,
            TimeLimitDays = s.Days,
            Probability = s.Probability,
            RequiredFields = s.Required.ToList(),
        }).ToList();
        return pipeline;
    }

    /// <summary>The loss reasons a new installation starts with.</summary>
    public static readonly string[] LossReasons =
    [
        TextKey.Of("Too expensive"),
        TextKey.Of("Chose a competitor"),
        TextKey.Of("No budget"),
        TextKey.Of("No response"),
        TextKey.Of("Requirements not met"),
        TextKey.Of("Postponed indefinitely"),
    ];
}
