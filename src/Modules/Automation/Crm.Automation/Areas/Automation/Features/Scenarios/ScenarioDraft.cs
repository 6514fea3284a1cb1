using Crm.Automation.Domain;

namespace Crm.Automation.Areas.Automation.Features.Scenarios;

/// <summary>
/// A scenario as typed, before it is checked: the admin form binds it ("Name", "Actions[0].Kind"...) and the
/// API reads it from JSON ("name", "actions": [{ "kind": ... }]). <see cref="ScenarioRules"/> checks and
/// tidies it; <see cref="ScenarioEditor"/> saves it.
/// </summary>
internal sealed class ScenarioDraft
{
    public string? Name { get; set; }

    public string? Trigger { get; set; } = TriggerKinds.StageEntered;

    public Guid? PipelineId { get; set; }

    public Guid? StageId { get; set; }

    public List<ConditionDraft> Conditions { get; set; } = [];

    public List<ScenarioAction> Actions { get; set; } = [];

    public bool IsActive { get; set; } = true;

    public static ScenarioDraft From(Scenario scenario) => new()
    {
        Name = scenario.Name,
        Trigger = scenario.Trigger,
        PipelineId = scenario.PipelineId,
        StageId = scenario.StageId,
        Conditions = scenario.Conditions.Select(c => new ConditionDraft { Field = c.Field, Operator = c.Operator, Value = c.Value }).ToList(),
        Actions = scenario.Actions.Select(a => a with { UserIds = [.. a.UserIds] }).ToList(),
        IsActive = scenario.IsActive,
    };

    /// <summary>The scenario this draft describes (for a dry run of what is typed, or to save once checked).</summary>
    public void ApplyTo(Scenario scenario)
    {
        scenario.Name = Name?.Trim() ?? "";
        scenario.Trigger = Trigger ?? TriggerKinds.StageEntered;
        scenario.PipelineId = PipelineId;
        scenario.StageId = StageId;
        scenario.Conditions = Conditions.Select(c => new ScenarioCondition(c.Field?.Trim() ?? "", c.Operator ?? ConditionOperators.Equal, c.Value)).ToList();
        scenario.Actions = [.. Actions];
        scenario.IsActive = IsActive;
    }
}

/// <summary>A condition row as typed.</summary>
internal sealed class ConditionDraft
{
    public string? Field { get; set; }

    public string? Operator { get; set; } = ConditionOperators.Equal;

    public string? Value { get; set; }
}
