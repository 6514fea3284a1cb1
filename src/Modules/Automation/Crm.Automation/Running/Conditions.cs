using System.Globalization;
using Crm.Automation.Domain;
using Crm.SharedKernel.Templates;

namespace Crm.Automation.Running;

/// <summary>
/// A scenario's conditions against the deal's placeholders: numbers compare as numbers ("deal.amount gt
/// 100000"), anything else as text ignoring case; "empty" and "set" look at whether the field has a value.
/// </summary>
internal static class Conditions
{
    public static ScenarioCondition? FirstFailing(IEnumerable<ScenarioCondition> conditions, PlaceholderModel model) =>
        conditions.FirstOrDefault(condition => !Holds(condition, Value(model, condition.Field)));

    public static bool Holds(ScenarioCondition condition, string? actual)
    {
        var empty = string.IsNullOrWhiteSpace(actual);
        switch (condition.Operator)
        {
            case ConditionOperators.IsEmpty:
                return empty;
            case ConditionOperators.IsSet:
                return !empty;
        }

        if (empty && condition.Operator != ConditionOperators.NotEqual)
        {
            return false;
        }

        var order = decimal.TryParse(actual, NumberStyles.Number, CultureInfo.InvariantCulture, out var left)
            && decimal.TryParse(condition.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var right)
                ? left.CompareTo(right)
                : string.Compare(actual, condition.Value, StringComparison.OrdinalIgnoreCase);
        return condition.Operator switch
        {
            ConditionOperators.Equal => order == 0,
            ConditionOperators.NotEqual => order != 0,
            ConditionOperators.Greater => order > 0,
            ConditionOperators.GreaterOrEqual => order >= 0,
            ConditionOperators.Less => order < 0,
            ConditionOperators.LessOrEqual => order <= 0,
            _ => false,
        };
    }

    /// <summary>A placeholder path's value as invariant text ("deal.amount" → "150000.00"), or null.</summary>
    public static string? Value(PlaceholderModel model, string path)
    {
        var parts = path.Split('.', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        object? current = parts.Length > 0 ? model.Values.GetValueOrDefault(parts[0]) : null;
        foreach (var part in parts.Skip(1))
        {
            current = current is IReadOnlyDictionary<string, object?> fields ? fields.GetValueOrDefault(part) : null;
        }

        return current switch
        {
            null => null,
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };
    }
}
