using Crm.Automation.Domain;

namespace Crm.Automation.Areas.Automation.Features.Scenarios;

/// <summary>One action row of the form; <paramref name="Index"/> is "__index__" in the template the script copies.</summary>
internal sealed record ActionRowModel(ScenarioEditPage Page, string Index, ScenarioAction Action);

/// <summary>One condition row of the form; <paramref name="Index"/> is "__index__" in the template the script copies.</summary>
internal sealed record ConditionRowModel(ScenarioEditPage Page, string Index, ConditionDraft Condition);
