using System.Net.Mail;
using System.Text.RegularExpressions;
using Crm.Automation.Domain;
using Crm.Automation.Running;
using Crm.Deals.Contracts;
using Crm.Identity.Contracts;
using Crm.Mail.Contracts;
using Crm.SharedKernel.Templates;
using Microsoft.Extensions.Localization;

namespace Crm.Automation.Areas.Automation.Features.Scenarios;

/// <summary>
/// The one check of a scenario, for the admin form and the API alike. Errors are keyed as the API names the
/// fields ("name", "stageId", "conditions[0].value", "actions[1].dueOffset"), messages in the user's language;
/// the form shows each next to its input. The draft is tidied on the way: texts trimmed, empty condition rows
/// dropped, each action keeps only the properties of its kind. A trigger on a record that is no deal (a lead, a
/// task) has no pipeline or stage, its conditions test that record's placeholders, and it may not set a deal's
/// field or move a deal.
/// </summary>
internal sealed partial class ScenarioRules(
    IPipelineDirectory pipelines,
    IUserDirectory users,
    IMailTemplates templates,
    IEnumerable<IPlaceholderSource> sources,
    IStringLocalizer<AutomationStrings> L)
{
    public const int NameLength = 200;
    public const int MaxConditions = 20;
    public const int MaxActions = 20;
    public const int MaxDelayMinutes = 60 * 24 * 90;
    public const int TextLength = 2000;

    public static readonly string[] TaskKinds = ["call", "meeting", "email", "todo"];

    public static readonly string[] RecipientKinds = [RecipientRules.Owner, RecipientRules.Head, RecipientRules.Fixed];

    /// <summary>Placeholders a condition may test beyond the template hints: ids compare exactly.</summary>
    public static readonly string[] ConditionExtras = ["deal.pipeline_id", "deal.stage_id", "owner.id", "owner.department_id"];

    /// <summary>The same for a record that is no deal: its owner (a lead's owner, a task's assignee).</summary>
    public static readonly string[] OwnerExtras = ["owner.id", "owner.department_id"];

    [GeneratedRegex(@"^deal\.custom\.[A-Za-z0-9_\-]+$")]
    private static partial Regex CustomPlaceholder();

    [GeneratedRegex(@"^cf:[A-Za-z0-9_\-]+$")]
    private static partial Regex CustomFieldKey();

    /// <summary>The placeholders a condition on a deal may test (the deal source's hints without "deal.custom.&lt;key&gt;", plus ids).</summary>
    public IReadOnlyList<string> ConditionFields => ConditionFieldsOf(Crm.SharedKernel.Access.EntityKinds.Deal);

    /// <summary>The placeholders a condition may test on a record of the kind (its source's hints, plus ids).</summary>
    public IReadOnlyList<string> ConditionFieldsOf(string recordKind) =>
        [
            .. (sources.FirstOrDefault(s => s.Kind == recordKind)?.Names ?? []).Where(n => !n.Contains('<', StringComparison.Ordinal)),
            .. (recordKind == Crm.SharedKernel.Access.EntityKinds.Deal ? ConditionExtras : OwnerExtras),
        ];

    /// <summary>Checks and tidies <paramref name="draft"/>; an empty answer means it may be saved.</summary>
    public async Task<Dictionary<string, string>> CheckAsync(ScenarioDraft draft, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        draft.Name = draft.Name?.Trim();
        if (string.IsNullOrEmpty(draft.Name))
        {
            errors["name"] = L["Enter the scenario's name."];
        }
        else if (draft.Name.Length > NameLength)
        {
            errors["name"] = L["At most {0} characters.", NameLength];
        }

        if (!TriggerKinds.All.Contains(draft.Trigger))
        {
            errors["trigger"] = L["Choose what starts the scenario."];
        }

        // A lead's or a task's trigger has no pipeline or stage: what the form may still carry is dropped.
        var onDeal = TriggerKinds.IsDealTrigger(draft.Trigger);
        if (!onDeal)
        {
            draft.PipelineId = null;
            draft.StageId = null;
        }

        var all = await pipelines.ListAsync(cancellationToken);
        var pipeline = draft.PipelineId is { } pipelineId ? all.FirstOrDefault(p => p.Id == pipelineId) : null;
        if (draft.PipelineId is not null && pipeline is null)
        {
            errors["pipelineId"] = L["There is no such pipeline."];
        }

        if (draft.Trigger == TriggerKinds.StageEntered)
        {
            if (draft.PipelineId is null)
            {
                errors["pipelineId"] = L["Choose the pipeline of the stage."];
            }

            if (draft.StageId is null)
            {
                errors["stageId"] = L["Choose the stage."];
            }
            else if (pipeline is not null && pipeline.Stages.All(s => s.Id != draft.StageId))
            {
                errors["stageId"] = L["The stage is not in the pipeline «{0}».", pipeline.Name];
            }
        }
        else
        {
            draft.StageId = null;
        }

        CheckConditions(draft, TriggerKinds.RecordKindOf(draft.Trigger), errors);
        await CheckActionsAsync(draft, pipeline, all, onDeal, errors, cancellationToken);
        return errors;
    }

    private void CheckConditions(ScenarioDraft draft, string recordKind, Dictionary<string, string> errors)
    {
        // A row left blank is not a condition.
        draft.Conditions = draft.Conditions
            .Where(c => !string.IsNullOrWhiteSpace(c.Field) || !string.IsNullOrWhiteSpace(c.Value))
            .ToList();
        if (draft.Conditions.Count > MaxConditions)
        {
            errors["conditions"] = L["At most {0} conditions.", MaxConditions];
            return;
        }

        var known = ConditionFieldsOf(recordKind);
        var onDeal = recordKind == Crm.SharedKernel.Access.EntityKinds.Deal;
        for (var i = 0; i < draft.Conditions.Count; i++)
        {
            var condition = draft.Conditions[i];
            var key = $"conditions[{i}]";
            condition.Field = condition.Field?.Trim();
            condition.Value = string.IsNullOrWhiteSpace(condition.Value) ? null : condition.Value.Trim();
            if (string.IsNullOrEmpty(condition.Field))
            {
                errors[key + ".field"] = L["Choose the field."];
            }
            else if (!known.Contains(condition.Field, StringComparer.Ordinal) && !(onDeal && CustomPlaceholder().IsMatch(condition.Field)))
            {
                errors[key + ".field"] = onDeal ? L["Unknown field: use one of the list or deal.custom.<key>."] : L["Unknown field: use one of the list."];
            }

            if (!ConditionOperators.All.Contains(condition.Operator))
            {
                errors[key + ".operator"] = L["Choose the comparison."];
            }
            else if (condition.Operator is ConditionOperators.IsEmpty or ConditionOperators.IsSet)
            {
                condition.Value = null;
            }
            else if (condition.Value is null)
            {
                errors[key + ".value"] = L["Enter the value to compare with."];
            }
            else if (condition.Value.Length > NameLength)
            {
                errors[key + ".value"] = L["At most {0} characters.", NameLength];
            }
        }
    }

    private async Task CheckActionsAsync(
        ScenarioDraft draft, PipelineInfo? pipeline, IReadOnlyList<PipelineInfo> all, bool onDeal, Dictionary<string, string> errors, CancellationToken cancellationToken)
    {
        if (draft.Actions.Count == 0)
        {
            errors["actions"] = L["Add at least one action."];
            return;
        }

        if (draft.Actions.Count > MaxActions)
        {
            errors["actions"] = L["At most {0} actions.", MaxActions];
            return;
        }

        var fixedUsers = draft.Actions.Where(a => a.Recipient == RecipientRules.Fixed).SelectMany(a => a.UserIds).Distinct().ToList();
        var foundUsers = fixedUsers.Count == 0 ? new Dictionary<Guid, UserSummary>() : await users.GetUsersAsync(fixedUsers, cancellationToken);
        var mailTemplates = draft.Actions.Any(a => a.Kind == ActionKinds.SendMail) ? await templates.ListAsync(cancellationToken) : [];
        var settable = pipelines.SettableFields;
        for (var i = 0; i < draft.Actions.Count; i++)
        {
            var key = $"actions[{i}].";
            var action = draft.Actions[i];
            if (!ActionKinds.All.Contains(action.Kind))
            {
                errors[key + "kind"] = L["Choose what the action does."];
                continue;
            }

            if (!onDeal && ActionKinds.DealOnly.Contains(action.Kind))
            {
                errors[key + "kind"] = L["Only a deal's scenario can set a field or move to a stage: this trigger is not about a deal."];
                continue;
            }

            if (action.DelayMinutes is < 0 or > MaxDelayMinutes)
            {
                errors[key + "delayMinutes"] = L["Enter minutes from 0 to {0}.", MaxDelayMinutes];
            }

            var tidy = new ScenarioAction { Kind = action.Kind, DelayMinutes = action.DelayMinutes };
            switch (action.Kind)
            {
                case ActionKinds.CreateTask:
                    Template(key + "text", action.Text, required: true, errors);
                    if (!TaskKinds.Contains(action.TaskKind))
                    {
                        errors[key + "taskKind"] = L["Choose the kind of task."];
                    }

                    if (!DueOffset.IsValid(action.DueOffset))
                    {
                        errors[key + "dueOffset"] = L["Write the due time like +1d 10:00, +1wd 10:00 (working day) or +2h."];
                    }

                    Recipient(key, action, foundUsers, errors);
                    tidy = tidy with { Text = action.Text?.Trim(), TaskKind = action.TaskKind, DueOffset = Blank(action.DueOffset), Recipient = action.Recipient, UserIds = FixedOf(action) };
                    break;
                case ActionKinds.Notify:
                    Template(key + "text", action.Text, required: true, errors);
                    Recipient(key, action, foundUsers, errors);
                    tidy = tidy with { Text = action.Text?.Trim(), Recipient = action.Recipient, UserIds = FixedOf(action) };
                    break;
                case ActionKinds.SetField:
                    var field = action.Field?.Trim() ?? "";
                    if (field.Length == 0)
                    {
                        errors[key + "field"] = L["Choose the field to set."];
                    }
                    else if (settable.All(f => f.Key != field) && !CustomFieldKey().IsMatch(field))
                    {
                        errors[key + "field"] = L["Unknown field: use one of the list or cf:<key> for a custom field."];
                    }

                    Template(key + "value", action.Value, required: false, errors);
                    tidy = tidy with { Field = field, Value = action.Value?.Trim() };
                    break;
                case ActionKinds.MoveStage:
                    var stages = pipeline is not null ? pipeline.Stages : all.SelectMany(p => p.Stages).ToList();
                    if (action.StageId is null)
                    {
                        errors[key + "stageId"] = L["Choose the stage."];
                    }
                    else if (stages.All(s => s.Id != action.StageId))
                    {
                        errors[key + "stageId"] = pipeline is null ? L["There is no such stage."] : L["The stage is not in the pipeline «{0}».", pipeline.Name];
                    }

                    tidy = tidy with { StageId = action.StageId };
                    break;
                case ActionKinds.Webhook:
                    var url = action.Url?.Trim() ?? "";
                    if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || url.Length > TextLength)
                    {
                        errors[key + "url"] = L["Enter an http:// or https:// address."];
                    }

                    if (action.Secret?.Length > NameLength)
                    {
                        errors[key + "secret"] = L["At most {0} characters.", NameLength];
                    }

                    // The cipher is never taken from what is typed: the editor keeps the stored one (WebhookSecrets.Seal).
                    tidy = tidy with { Url = url, Secret = Blank(action.Secret), RemoveSecret = action.RemoveSecret };
                    break;
                case ActionKinds.SendMail:
                    if (action.TemplateId is null || mailTemplates.All(t => t.Id != action.TemplateId))
                    {
                        errors[key + "templateId"] = L["Choose a mail template."];
                    }

                    var to = Blank(action.MailTo) ?? "contact";
                    if (to is not ("contact" or "owner") && !IsAddress(to))
                    {
                        errors[key + "mailTo"] = L["Choose the contact, the owner, or enter an e-mail address."];
                    }

                    tidy = tidy with { TemplateId = action.TemplateId, MailTo = to };
                    break;
            }

            draft.Actions[i] = tidy;
        }
    }

    private void Template(string key, string? source, bool required, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            if (required)
            {
                errors[key] = L["Enter the text."];
            }

            return;
        }

        if (source.Length > TextLength)
        {
            errors[key] = L["At most {0} characters.", TextLength];
        }
        else if (!TemplateText.TryParse(source, out _, out var error))
        {
            errors[key] = L["The placeholders do not parse: {0}", error ?? ""];
        }
    }

    private void Recipient(string key, ScenarioAction action, IReadOnlyDictionary<Guid, UserSummary> found, Dictionary<string, string> errors)
    {
        if (!RecipientKinds.Contains(action.Recipient))
        {
            errors[key + "recipient"] = L["Choose whom it is for."];
        }
        else if (action.Recipient == RecipientRules.Fixed)
        {
            if (action.UserIds.Count == 0)
            {
                errors[key + "userIds"] = L["Choose at least one user."];
            }
            else if (action.UserIds.Any(id => !found.TryGetValue(id, out var user) || !user.IsActive))
            {
                errors[key + "userIds"] = L["A chosen user does not exist or is blocked."];
            }
        }
    }

    private static List<Guid> FixedOf(ScenarioAction action) => action.Recipient == RecipientRules.Fixed ? action.UserIds.Distinct().ToList() : [];

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool IsAddress(string text) =>
        text.Length <= NameLength && MailAddress.TryCreate(text, out var address) && address.Address == text && text.Contains('.', StringComparison.Ordinal);
}
