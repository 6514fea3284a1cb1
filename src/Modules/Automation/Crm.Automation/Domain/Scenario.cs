using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;

namespace Crm.Automation.Domain;

/// <summary>
/// A kind of trigger: its name (stored on scenarios and runs), the kind of record it is about (a deal, a lead, a
/// task: what the run's placeholders, conditions and actions work on) and its names for the editor and the run log.
/// </summary>
internal sealed record TriggerKind(string Key, string RecordKind, string Label, string LogLabel)
{
    public bool IsDeal => RecordKind == EntityKinds.Deal;
}

/// <summary>
/// What starts a scenario: the registry of trigger kinds. Deals' triggers share their names with
/// <c>DealTriggerKinds</c>, the lead's with <c>ClientTriggerKinds</c>, the task's with <c>TaskTriggerKinds</c>.
/// A module that adds a trigger adds one line here (and hands its triggers to <c>TriggerIntake</c>).
/// </summary>
internal static class TriggerKinds
{
    public const string StageEntered = "stage_entered";
    public const string DealCreated = "deal_created";
    public const string DealWon = "deal_won";
    public const string DealLost = "deal_lost";
    public const string DealStalled = "deal_stalled";
    public const string LeadCreated = "lead_created";
    public const string TaskOverdue = "task_overdue";

    public static readonly IReadOnlyList<TriggerKind> Registry =
    [
        new(StageEntered, EntityKinds.Deal, TextKey.Of("Deal entered a stage"), TextKey.Of("Entered a stage")),
        new(DealCreated, EntityKinds.Deal, TextKey.Of("Deal created"), TextKey.Of("Deal created")),
        new(DealWon, EntityKinds.Deal, TextKey.Of("Deal won"), TextKey.Of("Deal won")),
        new(DealLost, EntityKinds.Deal, TextKey.Of("Deal lost"), TextKey.Of("Deal lost")),
        new(DealStalled, EntityKinds.Deal, TextKey.Of("Deal stalled"), TextKey.Of("Deal stalled")),
        new(LeadCreated, EntityKinds.Lead, TextKey.Of("Lead created"), TextKey.Of("Lead created")),
        new(TaskOverdue, EntityKinds.Task, TextKey.Of("Task overdue"), TextKey.Of("Task overdue")),
    ];

    public static readonly string[] All = [.. Registry.Select(t => t.Key)];

    public static TriggerKind? Find(string? key) => Registry.FirstOrDefault(t => t.Key == key);

    /// <summary>The record kind a trigger is about; deal for an unknown one (the triggers before record kinds were all deals').</summary>
    public static string RecordKindOf(string? key) => Find(key)?.RecordKind ?? EntityKinds.Deal;

    public static bool IsDealTrigger(string? key) => RecordKindOf(key) == EntityKinds.Deal;
}

/// <summary>
/// A scenario: on a trigger (in a pipeline, for "entered stage" a stage of it), when every condition holds,
/// run the actions in order. Conditions and actions are kept as JSON documents (<see cref="ScenarioCondition"/>,
/// <see cref="ScenarioAction"/>): they are read whole with the scenario and never queried by their parts.
/// </summary>
internal sealed class Scenario
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string Trigger { get; set; } = TriggerKinds.StageEntered;

    /// <summary>Null: any pipeline.</summary>
    public Guid? PipelineId { get; set; }

    /// <summary>For <see cref="TriggerKinds.StageEntered"/>: the stage.</summary>
    public Guid? StageId { get; set; }

    public List<ScenarioCondition> Conditions { get; set; } = [];

    public List<ScenarioAction> Actions { get; set; } = [];

    public bool IsActive { get; set; } = true;

    /// <summary>Whose rights the actions run with (the admin who saved it last).</summary>
    public Guid RunAsUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public uint Version { get; set; }

    public bool Matches(string trigger, Guid pipelineId, Guid stageId) =>
        IsActive && Trigger == trigger && (PipelineId is null || PipelineId == pipelineId) && (Trigger != TriggerKinds.StageEntered || StageId == stageId);

    /// <summary>A trigger on a record that is no deal: no pipeline or stage to match.</summary>
    public bool Matches(string trigger) => IsActive && Trigger == trigger;
}

/// <summary>
/// A condition on the deal's placeholders: <paramref name="Field"/> is a placeholder path ("deal.amount",
/// "deal.source", "owner.department", "deal.custom.inn"), <paramref name="Operator"/> one of
/// <see cref="ConditionOperators"/>, <paramref name="Value"/> what it compares with.
/// </summary>
internal sealed record ScenarioCondition(string Field, string Operator, string? Value);

internal static class ConditionOperators
{
    public const string Equal = "eq";
    public const string NotEqual = "ne";
    public const string Greater = "gt";
    public const string GreaterOrEqual = "ge";
    public const string Less = "lt";
    public const string LessOrEqual = "le";
    public const string IsEmpty = "empty";
    public const string IsSet = "set";

    public static readonly string[] All = [Equal, NotEqual, Greater, GreaterOrEqual, Less, LessOrEqual, IsEmpty, IsSet];
}

/// <summary>The kinds of actions.</summary>
internal static class ActionKinds
{
    public const string CreateTask = "create_task";
    public const string Notify = "notify";
    public const string SetField = "set_field";
    public const string MoveStage = "move_stage";
    public const string Webhook = "webhook";
    public const string SendMail = "send_mail";

    public static readonly string[] All = [CreateTask, Notify, SetField, MoveStage, Webhook, SendMail];

    /// <summary>Actions that change a deal: a scenario on any other record may not have them.</summary>
    public static readonly string[] DealOnly = [SetField, MoveStage];
}

/// <summary>Who an action addresses: the deal's owner, the owner's head, or fixed users.</summary>
internal static class RecipientRules
{
    public const string Owner = "owner";
    public const string Head = "head";
    public const string Fixed = "fixed";
}

/// <summary>
/// One action of a scenario. Which properties matter depends on <see cref="Kind"/>:
/// create_task — TaskKind, Text (title template), Recipient + UserIds (assignee rule), DueOffset ("+1d 10:00",
/// "+2h", "+1wd 10:00": working days); notify — Text, Recipient + UserIds; set_field — Field, Value;
/// move_stage — StageId; webhook — Url, SecretCipher (Secret and RemoveSecret as typed); send_mail — TemplateId, MailTo ("contact", "owner" or an
/// address). <see cref="DelayMinutes"/> waits before the action, and for a stage trigger runs it only if the
/// deal is still in the stage.
/// </summary>
internal sealed record ScenarioAction
{
    public string Kind { get; init; } = ActionKinds.CreateTask;

    public int DelayMinutes { get; init; }

    public string? Text { get; init; }

    public string? TaskKind { get; init; }

    public string? Recipient { get; init; }

    public List<Guid> UserIds { get; init; } = [];

    public string? DueOffset { get; init; }

    public string? Field { get; init; }

    public string? Value { get; init; }

    public Guid? StageId { get; init; }

    public string? Url { get; init; }

    /// <summary>
    /// The webhook's signing secret as typed in the form or the API, never stored: the editor protects it into
    /// <see cref="SecretCipher"/> (<c>WebhookSecrets</c>). Empty on an edit keeps the stored secret.
    /// </summary>
    public string? Secret { get; init; }

    /// <summary>As typed: drop the stored secret (the webhook is called unsigned from now on).</summary>
    public bool RemoveSecret { get; init; }

    /// <summary>The signing secret, protected with Data Protection; read only to sign the request.</summary>
    public string? SecretCipher { get; init; }

    public Guid? TemplateId { get; init; }

    public string? MailTo { get; init; }
}
