using Crm.CustomFields.Contracts;
using Crm.Deals.Domain;
using Crm.Deals.Editing;
using Crm.Identity.Contracts;

namespace Crm.Deals.Areas.Deals.Features.Deals;

/// <summary>The deal card: the deal with its stage, what the user may do, and the three columns' contents.</summary>
internal sealed record DealCardPage(
    Deal Deal,
    Pipeline Pipeline,
    Stage Stage,
    string OwnerName,
    bool CanEdit,
    bool CanDelete,
    bool IsAdmin,
    IReadOnlyList<Pipeline> Pipelines,
    IReadOnlyList<DealTimelineEntry> Timeline,
    IReadOnlyList<DealAttachment> Attachments,
    IReadOnlyList<HistoryRow> History,
    IReadOnlyList<CustomFieldDisplay> Custom,
    TimeZoneInfo TimeZone,
    DateTimeOffset Now)
{
    public string? LossReason { get; init; }

    /// <summary>What a stage change from the card answered, when it did not go through.</summary>
    public StageProblem? Problem { get; init; }

    public string CommentText { get; init; } = "";

    public string? CommentError { get; init; }

    /// <summary>The timeline tab: "all", "comments" or "changes".</summary>
    public string Show { get; init; } = "all";

    public int DaysInStage => Stage.DaysIn(Deal.StageEnteredAt, Now);

    public bool Stalled => Stage.IsStalled(Deal.StageEnteredAt, Now);

    public string Url => "/deals/" + Deal.Id;

    public string Local(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, TimeZone).ToString("g", System.Globalization.CultureInfo.CurrentCulture);

    public string Date(DateOnly date) => date.ToString("d", System.Globalization.CultureInfo.CurrentCulture);

    public decimal VatTotal => Deal.Items.Sum(i => i.Vat);

    /// <summary>The open stages a closed deal can be reopened into; the first ordinary one is offered first.</summary>
    public IEnumerable<Stage> ReopenStages => Pipeline.Stages.Where(s => s.Kind == StageKind.Open);

    public Guid ReopenDefault => Moving.DealCreation.FirstStage(Pipeline).Id;

    /// <summary>"1.2 MB": a size as people read it.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / 1024.0 / 1024.0:0.#} MB",
    };
}

/// <summary>One stay in a stage, as the card's history lists it.</summary>
internal sealed record HistoryRow(string Stage, string? Pipeline, DateTimeOffset EnteredAt, DateTimeOffset? LeftAt, int Days, string Who, bool Forced, string Channel);

/// <summary>A refused, conflicting or incomplete stage change: the message and, when fields are missing, the small form asking exactly for them.</summary>
internal sealed record StageProblem(string Message, StageForm Form, IReadOnlyList<AskedField> Fields, string? TargetName);

/// <summary>A field the target stage asks for: how to render its input, what was typed and what was wrong with it.</summary>
internal sealed record AskedField(string Key, string Label, string Input, IReadOnlyList<(string Value, string Label)> Options, string? Value, string? Error);

/// <summary>A stage change posted from the card: move, force (admins), reopen, or change pipeline.</summary>
internal sealed class StageForm
{
    public Guid? StageId { get; set; }

    public uint? Version { get; set; }

    public Guid? LossReasonId { get; set; }

    public string? LossComment { get; set; }

    /// <summary>What the target stage requires: <see cref="DealFields"/> keys, "cf:key" for custom fields.</summary>
    public Dictionary<string, string?> Fields { get; set; } = new(StringComparer.Ordinal);

    public bool Force { get; set; }

    public bool ChangePipeline { get; set; }
}

internal sealed class CommentForm
{
    public string? Text { get; set; }
}

/// <summary>The create and edit form: every value as typed, so a wrong one comes back as it was.</summary>
internal sealed class DealForm
{
    public string? Title { get; set; }

    public Guid? PipelineId { get; set; }

    public Guid? StageId { get; set; }

    public Guid? CompanyId { get; set; }

    public string? CompanyName { get; set; }

    public Guid? ContactId { get; set; }

    public string? ContactName { get; set; }

    public Guid? LeadId { get; set; }

    public string? LeadName { get; set; }

    public string? Amount { get; set; }

    public string? Currency { get; set; }

    public string? ExpectedClose { get; set; }

    public Guid? OwnerId { get; set; }

    public string? Probability { get; set; }

    public string? Source { get; set; }

    public string? PaymentForm { get; set; }

    public string? Delivery { get; set; }

    public List<LineItemInput> Items { get; set; } = [];

    public Dictionary<string, string[]> Custom { get; set; } = new(StringComparer.Ordinal);

    public uint? Version { get; set; }

    /// <summary>Set by the pipeline's "change" button: show the form for another pipeline, saving nothing.</summary>
    public bool Switch { get; set; }

    public DealInput ToInput(IReadOnlyDictionary<string, string?> custom) => new()
    {
        Title = Title,
        PipelineId = PipelineId,
        StageId = StageId,
        CompanyId = CompanyId,
        CompanyText = CompanyName,
        ContactId = ContactId,
        ContactText = ContactName,
        LeadId = LeadId,
        Amount = Amount,
        Currency = Currency,
        ExpectedClose = ExpectedClose,
        OwnerId = OwnerId,
        Probability = Probability,
        Source = Source,
        PaymentForm = PaymentForm,
        Delivery = Delivery,
        Items = Items,
        Custom = custom,
    };

    /// <summary>Numbers as the user's culture writes them ("107 800,45" in ru): the editor reads them back whatever the culture.</summary>
    public static DealForm From(Deal deal, ICustomFieldSet custom)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        return new DealForm
        {
            Title = deal.Title,
            PipelineId = deal.PipelineId,
            StageId = deal.StageId,
            CompanyId = deal.CompanyId,
            CompanyName = deal.CompanyName,
            ContactId = deal.ContactId,
            ContactName = deal.ContactName,
            LeadId = deal.LeadId,
            LeadName = deal.LeadName,
            Amount = deal.Amount == 0 ? null : DealFields.MoneyInput(deal.Amount),
            Currency = deal.Currency,
            ExpectedClose = deal.ExpectedClose?.ToString("yyyy-MM-dd", invariant),
            OwnerId = deal.OwnerId,
            Probability = deal.Probability?.ToString(invariant),
            Source = deal.Source?.ToString(),
            PaymentForm = deal.PaymentForm?.ToString(),
            Delivery = deal.Delivery?.ToString(),
            Items = deal.Items.OrderBy(i => i.Position).Select(i => new LineItemInput
            {
                Name = i.Name,
                Quantity = i.Quantity.ToString("0.###", culture),
                Unit = i.Unit,
                Price = DealFields.MoneyInput(i.Price),
                Discount = i.DiscountPercent == 0 ? null : i.DiscountPercent.ToString("0.##", culture),
                Vat = i.VatRate?.ToString("0.##", culture),
            }).ToList(),
            Custom = custom.Fields.ToDictionary(f => f.Key, f => custom.Typed(f, deal.CustomFields) is { } value ? value.Split('\n') : [], StringComparer.Ordinal),
            Version = deal.Version,
        };
    }
}

internal sealed record DealFormPage(
    DealForm Form,
    Guid? DealId,
    string? DisplayNumber,
    Pipeline Pipeline,
    IReadOnlyList<Pipeline> Pipelines,
    IReadOnlyList<UserSummary> Owners,
    CustomFieldInputs Custom)
{
    public bool IsNew => DealId is null;

    /// <summary>The stages a new deal may start in: the open ones (pauses included).</summary>
    public IEnumerable<Stage> StartStages => Pipeline.Stages.Where(s => s.Kind == StageKind.Open);
}
