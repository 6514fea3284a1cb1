using Crm.Automation.Domain;
using Crm.Deals.Contracts;
using Crm.SharedKernel.Localization;

namespace Crm.Automation.Areas.Automation.Features.Scenarios;

/// <summary>The names of triggers, operators, action kinds and recipients as the pages show them (English keys, translated in the view).</summary>
internal static class ScenarioTexts
{
    public static string Trigger(string trigger) => TriggerKinds.Find(trigger)?.Label ?? trigger;

    public static string Operator(string op) => op switch
    {
        ConditionOperators.Equal => TextKey.Of("equals"),
        ConditionOperators.NotEqual => TextKey.Of("does not equal"),
        ConditionOperators.Greater => TextKey.Of("greater than"),
        ConditionOperators.GreaterOrEqual => TextKey.Of("at least"),
        ConditionOperators.Less => TextKey.Of("less than"),
        ConditionOperators.LessOrEqual => TextKey.Of("at most"),
        ConditionOperators.IsEmpty => TextKey.Of("is empty"),
        ConditionOperators.IsSet => TextKey.Of("is set"),
        _ => op,
    };

    public static string Action(string kind) => kind switch
    {
        ActionKinds.CreateTask => TextKey.Of("Create a task"),
        ActionKinds.Notify => TextKey.Of("Notify in the app"),
        ActionKinds.SetField => TextKey.Of("Set a field"),
        ActionKinds.MoveStage => TextKey.Of("Move to a stage"),
        ActionKinds.Webhook => TextKey.Of("Call a webhook"),
        ActionKinds.SendMail => TextKey.Of("Send an e-mail"),
        _ => kind,
    };

    public static string Recipient(string rule) => rule switch
    {
        RecipientRules.Owner => TextKey.Of("The record's owner"),
        RecipientRules.Head => TextKey.Of("The owner's head"),
        RecipientRules.Fixed => TextKey.Of("Chosen users"),
        _ => rule,
    };

    public static string TaskKind(string kind) => kind switch
    {
        "call" => TextKey.Of("Call"),
        "meeting" => TextKey.Of("Meeting"),
        "email" => TextKey.Of("E-mail"),
        "todo" => TextKey.Of("To-do"),
        _ => kind,
    };

    /// <summary>
    /// The stage and pipeline a trigger names, for "Entered «Proposal» (Services)": null names when the ids are
    /// gone (a deleted stage), so the list says so instead of failing.
    /// </summary>
    public static (string? Stage, string? Pipeline) Where(Scenario scenario, IReadOnlyList<PipelineInfo> pipelines)
    {
        var pipeline = pipelines.FirstOrDefault(p => p.Id == scenario.PipelineId);
        var stage = pipeline?.Stages.FirstOrDefault(s => s.Id == scenario.StageId);
        return (stage?.Name, pipeline?.Name);
    }
}
