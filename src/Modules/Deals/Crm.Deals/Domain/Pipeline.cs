namespace Crm.Deals.Domain;

/// <summary>How deals may move between a pipeline's stages (enforced on the server for every channel).</summary>
internal enum TransitionMode
{
    /// <summary>Any stage to any stage.</summary>
    Free,

    /// <summary>
    /// An open deal moves only to the next stage; to a lost stage (with a loss reason) or a pause stage
    /// always; back only when the pipeline allows going back.
    /// </summary>
    InOrder,
}

internal enum StageKind
{
    Open,
    Won,
    Lost,
}

/// <summary>A sales funnel: ordered stages, a transition mode and the currency its column totals use.</summary>
internal sealed class Pipeline
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public TransitionMode Mode { get; set; } = TransitionMode.Free;

    /// <summary>In order: whether an open deal may go back to an earlier open stage.</summary>
    public bool AllowBack { get; set; } = true;

    /// <summary>ISO code of the currency the board sums in, and the default of new deals.</summary>
    public string Currency { get; set; } = "RUB";

    public int Position { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Ordered by <see cref="Stage.Position"/> when loaded through <see cref="PipelineCatalog"/>.</summary>
    public List<Stage> Stages { get; set; } = [];
}

internal sealed class Stage
{
    public Guid Id { get; set; }

    public Guid PipelineId { get; set; }

    public string Name { get; set; } = "";

    /// <summary>#rrggbb, shown on the board's column heads and stage badges only.</summary>
    public string Color { get; set; } = "#6c757d";

    public StageKind Kind { get; set; }

    /// <summary>An open stage outside the order ("paused", "postponed"): reachable from anywhere, never stalled.</summary>
    public bool IsPause { get; set; }

    public int Position { get; set; }

    /// <summary>Days a deal may stay here before it is stalled; null: never stalled.</summary>
    public int? TimeLimitDays { get; set; }

    /// <summary>Win probability of a deal in this stage, 0–100 (a deal may override it).</summary>
    public int Probability { get; set; }

    /// <summary>
    /// Fields a deal must have before it enters: the keys of <see cref="DealFields"/> ("amount",
    /// "expectedClose"…) and custom fields as "cf:key".
    /// </summary>
    public List<string> RequiredFields { get; set; } = [];

    public bool IsClosed => Kind != StageKind.Open;

    /// <summary>Whether a deal that entered at <paramref name="enteredAt"/> is past this stage's time limit at <paramref name="now"/>.</summary>
    public bool IsStalled(DateTimeOffset enteredAt, DateTimeOffset now) =>
        Kind == StageKind.Open && !IsPause && TimeLimitDays is { } days && now - enteredAt > TimeSpan.FromDays(days);

    /// <summary>Whole days a deal has been in this stage.</summary>
    public static int DaysIn(DateTimeOffset enteredAt, DateTimeOffset now) => Math.Max(0, (int)(now - enteredAt).TotalDays);
}

/// <summary>A reason a deal was lost, from the admin's list. Archived reasons stay on old deals but are not offered.</summary>
internal sealed class LossReason
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public int Position { get; set; }

    public bool IsArchived { get; set; }
}
