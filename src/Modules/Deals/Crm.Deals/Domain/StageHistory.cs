namespace Crm.Deals.Domain;

/// <summary>Where a stage change came from: the history and the audit log say so.</summary>
internal static class MoveChannels
{
    public const string Page = "page";
    public const string Board = "board";
    public const string Api = "api";
    public const string Import = "import";
    public const string Scenario = "scenario";
    public const string Created = "created";
    public const string PipelineChange = "pipeline";

    /// <summary>An admin deleted a stage and its deals were moved to another one in bulk.</summary>
    public const string Settings = "settings";
}

/// <summary>
/// One stay of a deal in a stage: entered (by whom, through which channel) and left. Stage durations,
/// conversion and the funnel are computed from these rows, never from the deals' current state; the
/// published view deals.v_stage_history exposes them to Reports.
/// </summary>
internal sealed class StageHistoryEntry
{
    public Guid Id { get; set; }

    public Guid DealId { get; set; }

    public Guid PipelineId { get; set; }

    public Guid StageId { get; set; }

    public DateTimeOffset EnteredAt { get; set; }

    public Guid? EnteredBy { get; set; }

    public DateTimeOffset? LeftAt { get; set; }

    public Guid? LeftBy { get; set; }

    /// <summary>One of <see cref="MoveChannels"/>.</summary>
    public string Channel { get; set; } = MoveChannels.Page;

    /// <summary>Entered by an admin's forced move, outside the pipeline's order.</summary>
    public bool Forced { get; set; }

    /// <summary>
    /// When the deal was found stalled during this stay: the stalled episode is the stay, so the "deal stalled"
    /// trigger is raised once per stay however often the sweep runs.
    /// </summary>
    public DateTimeOffset? StalledAt { get; set; }
}

/// <summary>A line of a deal's timeline: created, changed, moved, a comment, a file.</summary>
internal sealed class DealTimelineEntry
{
    public Guid Id { get; set; }

    public Guid DealId { get; set; }

    /// <summary>"created", "changed", "stage", "comment", "owner", "file", "reopened", "pipeline"…</summary>
    public string Kind { get; set; } = "";

    public string Subject { get; set; } = "";

    public string? Text { get; set; }

    public Guid? AuthorId { get; set; }

    public string AuthorName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// The deals audit log: who changed what and when, with the old and new values ("field: old → new"
/// lines), forced moves, reopenings, deletions, reassignments and exports.
/// </summary>
internal sealed class DealAuditEntry
{
    public Guid Id { get; set; }

    public DateTimeOffset At { get; set; }

    public Guid? UserId { get; set; }

    public string UserName { get; set; } = "";

    /// <summary>One of <see cref="Audit.DealAudit.Actions"/>.</summary>
    public string Action { get; set; } = "";

    public Guid? DealId { get; set; }

    public int? Count { get; set; }

    public string Summary { get; set; } = "";
}

/// <summary>The last deal number given out in a year.</summary>
internal sealed class DealNumberCounter
{
    public int Year { get; set; }

    public int Last { get; set; }
}
