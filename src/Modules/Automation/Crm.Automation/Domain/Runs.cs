using Crm.SharedKernel.Access;

namespace Crm.Automation.Domain;

/// <summary>The states of runs and their actions, as the run log shows them.</summary>
internal static class RunStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Retrying = "retrying";
    public const string Skipped = "skipped";
}

/// <summary>
/// One scenario started by one trigger. (scenario, event) is unique, so a trigger handed over twice starts the
/// scenario once. <see cref="Depth"/> is the chain's length (a scenario's move starting another scenario).
/// </summary>
internal sealed class ScenarioRun
{
    public Guid Id { get; set; }

    public Guid ScenarioId { get; set; }

    public string ScenarioName { get; set; } = "";

    public Guid EventId { get; set; }

    public string Trigger { get; set; } = "";

    /// <summary>The kind of record the run is about (<c>EntityKinds</c>: deal, lead, task), from its trigger.</summary>
    public string RecordKind { get; set; } = EntityKinds.Deal;

    public Guid RecordId { get; set; }

    /// <summary>The deal, for a deal's run only (the record id then); null for a lead's or a task's.</summary>
    public Guid? DealId { get; set; }

    /// <summary>The deal's stage when triggered; empty for a run on another record.</summary>
    public Guid StageId { get; set; }

    public int Depth { get; set; }

    /// <summary>Who made the change that triggered it (null: the system, an import without a user).</summary>
    public Guid? ActorId { get; set; }

    public string Status { get; set; } = RunStates.Queued;

    public const int NoteLength = 2000;

    /// <summary>Why it was skipped or failed: a condition that did not hold, a chain cut (a stored text: key and arguments).</summary>
    public string? Note { get; set; }

    public DateTimeOffset TriggeredAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>
/// One action of a run. <see cref="Key"/> ("run id:position") is its idempotency key: unique here, and handed
/// to the effect (the task's origin key, the notification's once key, the webhook's Idempotency-Key), so a
/// retried or re-delivered job never makes a second effect. The action's definition is copied in, so editing
/// the scenario later does not change what a queued action does.
/// </summary>
internal sealed class ActionRun
{
    public Guid Id { get; set; }

    public Guid RunId { get; set; }

    /// <summary>The run's record (see <see cref="ScenarioRun.RecordKind"/>).</summary>
    public string RecordKind { get; set; } = EntityKinds.Deal;

    public Guid RecordId { get; set; }

    /// <summary>The deal, for a deal's run only.</summary>
    public Guid? DealId { get; set; }

    public int Position { get; set; }

    public string Key { get; set; } = "";

    public string Kind { get; set; } = "";

    public ScenarioAction Definition { get; set; } = new();

    public string Status { get; set; } = RunStates.Queued;

    public int Attempts { get; set; }

    /// <summary>Not before this moment: a delay, or the next retry.</summary>
    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>
    /// What it did ("Task 0192… «Call» set", "HTTP 200 in 35 ms"). This and <see cref="Error"/> are stored texts
    /// (<c>StoredText</c>: an English key with its arguments), shown in the reader's language; rows from before
    /// hold plain English, shown as it is.
    /// </summary>
    public string? Outcome { get; set; }

    public string? Error { get; set; }

    public uint Version { get; set; }
}
