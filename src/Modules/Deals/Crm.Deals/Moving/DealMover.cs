using Crm.CustomFields.Contracts;
using Crm.Deals.Access;
using Crm.Deals.Audit;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Pipelines;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Moving;

/// <summary>
/// A request to move a deal to a stage, from any channel. <paramref name="Version"/> is the deal's
/// version the caller saw (stale: conflict); <paramref name="Fields"/> fills what the target stage
/// requires (keys of <see cref="DealFields"/>, "cf:key" for custom fields); <paramref name="Force"/> is
/// an admin's override of the order; <paramref name="ChangePipeline"/> allows a stage of another pipeline.
/// </summary>
internal sealed record MoveCommand(
    Guid DealId,
    Guid StageId,
    string Channel,
    uint? Version = null,
    Guid? LossReasonId = null,
    string? LossComment = null,
    IReadOnlyDictionary<string, string?>? Fields = null,
    bool Force = false,
    bool ChangePipeline = false,
    int Depth = 0);

internal enum MoveOutcome
{
    Moved,
    Unchanged,
    NotFound,
    Forbidden,
    Refused,
    NeedsFields,
    Conflict,
}

/// <summary>A field the target stage asks for that the deal lacks: what the board's dialog and the API's 422 show.</summary>
internal sealed record MissingField(string Key, string Label, string Input, IReadOnlyList<(string Value, string Label)> Options, CustomFieldDefinition? Custom = null)
{
    public const string LossReasonKey = "lossReason";

    /// <summary>A standard field as the dialogs ask for it: its label and options in the user's language, and the kind of input.</summary>
    public static MissingField Of(RequirableField field, IStringLocalizer L) => new(field.Key, L[field.Label], InputOf(field.Key), OptionsOf(field.Key, L));

    private static string InputOf(string key) => key switch
    {
        "amount" => "money",
        "expectedClose" => "date",
        "probability" => "number",
        "source" or "paymentForm" or "delivery" => "select",
        _ => "link",
    };

    private static List<(string Value, string Label)> OptionsOf(string key, IStringLocalizer L) => key switch
    {
        "source" => Enum.GetValues<DealSource>().Select(v => (v.ToString(), L[DealTexts.Source(v)].Value)).ToList(),
        "paymentForm" => Enum.GetValues<PaymentForm>().Select(v => (v.ToString(), L[DealTexts.Payment(v)].Value)).ToList(),
        "delivery" => Enum.GetValues<DeliveryKind>().Select(v => (v.ToString(), L[DealTexts.Delivery(v)].Value)).ToList(),
        _ => [],
    };
}

/// <param name="Message">The reason of a refusal or conflict, in the user's language.</param>
/// <param name="Errors">Messages about the fields sent, by key.</param>
internal sealed record MoveResult(
    MoveOutcome Outcome,
    string? Message = null,
    IReadOnlyList<MissingField>? Missing = null,
    IReadOnlyDictionary<string, string>? Errors = null,
    Deal? Deal = null)
{
    public bool Succeeded => Outcome is MoveOutcome.Moved or MoveOutcome.Unchanged;
}

/// <summary>
/// Moves deals between stages: the one handler behind the board, the card, the API, imports and
/// scenarios, so the rules hold whatever the channel. Checks the pipeline's transition rules and the
/// target stage's required fields, then, in one transaction, closes the deal's open stay in the stage
/// history, opens the new one, and writes the audit log and the deal's timeline. The client's timeline
/// hears of it after the commit.
/// </summary>
internal sealed class DealMover(
    DealsDbContext db,
    DealAccess access,
    PipelineCatalog catalog,
    DealAudit audit,
    ICustomFields customFields,
    ICurrentUser currentUser,
    DealTimeline timeline,
    Outbox.DealOutbox outbox,
    TimeProvider clock,
    IStringLocalizer<DealsStrings> L)
{
    public async Task<MoveResult> MoveAsync(MoveCommand command, CancellationToken cancellationToken)
    {
        var deal = await DealAccess.Within(db.Deals, await access.FilterAsync(AccessAction.Edit, cancellationToken))
            .Include(d => d.Items)
            .SingleOrDefaultAsync(d => d.Id == command.DealId, cancellationToken);
        if (deal is null)
        {
            return new MoveResult(MoveOutcome.NotFound, L["The deal was not found or you may not change it."]);
        }

        if (command.Force && !currentUser.IsInRole(BuiltInRoles.Admin))
        {
            return new MoveResult(MoveOutcome.Forbidden, L["Only an administrator may force a move."]);
        }

        if (command.Version is { } version && version != deal.Version)
        {
            return Conflict();
        }

        var current = await catalog.FindStageAsync(deal.StageId, cancellationToken)
            ?? throw new InvalidOperationException($"Deal {deal.Id} is in stage {deal.StageId}, which no pipeline has.");
        if (await catalog.FindStageAsync(command.StageId, cancellationToken) is not var (targetPipeline, target))
        {
            return new MoveResult(MoveOutcome.Refused, L["There is no such stage."]);
        }

        if (target.Id == deal.StageId)
        {
            return new MoveResult(MoveOutcome.Unchanged, Deal: deal);
        }

        var changesPipeline = targetPipeline.Id != deal.PipelineId;
        var forcedPastRules = false;
        if (changesPipeline)
        {
            if (!command.ChangePipeline)
            {
                return new MoveResult(MoveOutcome.Refused, L["This stage belongs to another pipeline: change the deal's pipeline instead."]);
            }
        }
        else
        {
            var orderFrom = current.Stage.IsPause ? await LastOrdinaryStageAsync(deal, current.Pipeline, cancellationToken) : current.Stage;
            var answer = StageRules.Check(current.Pipeline, current.Stage, orderFrom, target, force: false);
            if (!answer.Allowed)
            {
                if (!command.Force)
                {
                    return new MoveResult(MoveOutcome.Refused, L[answer.Reason!, answer.Arguments ?? []]);
                }

                forcedPastRules = true;
            }
        }

        var customSet = await customFields.ForAsync(EntityKinds.Deal, targetPipeline.Id.ToString(), cancellationToken);
        var (missing, errors) = await RequireAsync(deal, target, customSet, command, cancellationToken);
        if (missing.Count > 0 || errors.Count > 0)
        {
            return new MoveResult(
                MoveOutcome.NeedsFields,
                missing.Count > 0 ? L["To enter «{0}» the deal needs: {1}.", target.Name, string.Join(", ", missing.Select(m => m.Label))] : errors.Values.First(),
                missing,
                errors);
        }

        var now = clock.GetUtcNow();
        await WriteMoveAsync(deal, current.Stage, targetPipeline, target, command, now, cancellationToken);

        var summary = L["Stage: {0} → {1}", current.Stage.Name, target.Name].Value;
        if (changesPipeline)
        {
            summary = L["Pipeline: {0} → {1}", current.Pipeline.Name, targetPipeline.Name].Value + "; " + summary;
        }

        var reopened = current.Stage.IsClosed && target.Kind == StageKind.Open;
        var action = forcedPastRules ? DealAudit.Actions.Forced
            : changesPipeline ? DealAudit.Actions.PipelineChanged
            : reopened ? DealAudit.Actions.Reopened
            : DealAudit.Actions.Moved;
        audit.Record(action, deal.Id, $"{summary} ({command.Channel})");
        timeline.Write(deal.Id, reopened ? "reopened" : changesPipeline ? "pipeline" : "stage", reopened ? L["Deal reopened"] : L["Stage changed"], summary, now);
        outbox.AddMove(deal, target, command.Channel, command.Depth);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Conflict();
        }
        catch (DbUpdateException exception) when (exception.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Two moves of one deal raced past the version check: the unique open stay refused the second.
            db.ChangeTracker.Clear();
            return Conflict();
        }

        outbox.Kick();
        await timeline.TellClientAsync(deal, L["Deal «{0}»: {1}", deal.Title, summary], cancellationToken);
        return new MoveResult(MoveOutcome.Moved, Deal: deal);
    }

    /// <summary>
    /// Any field a stage can ask for, by key, as the dialogs show it: the loss reason, a standard field,
    /// or a custom one ("cf:key") of <paramref name="set"/>. The board and the card use it for fields the
    /// mover listed only in its errors (typed wrong), so every asked field is described in one place.
    /// </summary>
    public async Task<MissingField?> DescribeAsync(string key, ICustomFieldSet set, CancellationToken cancellationToken)
    {
        if (key == MissingField.LossReasonKey)
        {
            var reasons = (await catalog.LossReasonsAsync(cancellationToken)).Where(r => !r.IsArchived);
            return new MissingField(key, L["Loss reason"], "select", reasons.Select(r => (r.Id.ToString(), r.Name)).ToList());
        }

        if (key.StartsWith(RequirableField.CustomPrefix, StringComparison.Ordinal))
        {
            return set.Fields.FirstOrDefault(f => f.Key == key[RequirableField.CustomPrefix.Length..]) is { } field
                ? new MissingField(key, field.Label, "custom", field.Options.Select(o => (o, o)).ToList(), field)
                : null;
        }

        return DealFields.Find(key) is { } standard ? MissingField.Of(standard, L) : null;
    }

    private MoveResult Conflict() =>
        new(MoveOutcome.Conflict, L["Someone else changed this deal meanwhile. Reload to see their changes."]);

    private async Task WriteMoveAsync(Deal deal, Stage from, Pipeline targetPipeline, Stage target, MoveCommand command, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await db.StageHistory.Where(h => h.DealId == deal.Id && h.LeftAt == null).ToListAsync(cancellationToken);
        foreach (var stay in open)
        {
            stay.LeftAt = now;
            stay.LeftBy = currentUser.Id;
        }

        db.StageHistory.Add(new StageHistoryEntry
        {
            Id = Guid.CreateVersion7(),
            DealId = deal.Id,
            PipelineId = targetPipeline.Id,
            StageId = target.Id,
            EnteredAt = now,
            EnteredBy = currentUser.Id,
            Channel = command.ChangePipeline && targetPipeline.Id != deal.PipelineId ? MoveChannels.PipelineChange : command.Channel,
            Forced = command.Force,
        });

        deal.PipelineId = targetPipeline.Id;
        deal.StageId = target.Id;
        deal.StageEnteredAt = now;
        deal.UpdatedAt = now;
        if (target.IsClosed)
        {
            deal.ClosedAt ??= now;
        }
        else
        {
            deal.ClosedAt = null;
        }

        if (target.Kind == StageKind.Lost)
        {
            deal.LossReasonId = command.LossReasonId;
            deal.LossComment = string.IsNullOrWhiteSpace(command.LossComment) ? null : command.LossComment.Trim()[..Math.Min(command.LossComment.Trim().Length, 1000)];
        }
        else if (from.Kind == StageKind.Lost)
        {
            deal.LossReasonId = null;
            deal.LossComment = null;
        }
    }

    /// <summary>
    /// What the target stage requires and the deal lacks, after applying the fields the command fills.
    /// A lost stage always requires a loss reason from the admin's list.
    /// </summary>
    private async Task<(List<MissingField> Missing, Dictionary<string, string> Errors)> RequireAsync(
        Deal deal, Stage target, ICustomFieldSet customSet, MoveCommand command, CancellationToken cancellationToken)
    {
        var missing = new List<MissingField>();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var typed = command.Fields ?? new Dictionary<string, string?>();

        if (target.Kind == StageKind.Lost)
        {
            var reasons = (await catalog.LossReasonsAsync(cancellationToken)).Where(r => !r.IsArchived).ToList();
            if (command.LossReasonId is null)
            {
                missing.Add(new MissingField(MissingField.LossReasonKey, L["Loss reason"], "select", reasons.Select(r => (r.Id.ToString(), r.Name)).ToList()));
            }
            else if (reasons.All(r => r.Id != command.LossReasonId))
            {
                errors[MissingField.LossReasonKey] = L["Choose a loss reason from the list."];
            }
        }

        var customTyped = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in target.RequiredFields)
        {
            if (key.StartsWith(RequirableField.CustomPrefix, StringComparison.Ordinal))
            {
                var field = customSet.Fields.FirstOrDefault(f => f.Key == key[RequirableField.CustomPrefix.Length..]);
                if (field is null)
                {
                    continue;
                }

                if (typed.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value))
                {
                    customTyped[field.Key] = value;
                }
                else if (customSet.Text(field, deal.CustomFields) is null)
                {
                    missing.Add(new MissingField(key, field.Label, "custom", field.Options.Select(o => (o, o)).ToList(), field));
                }

                continue;
            }

            if (DealFields.Find(key) is not { } standard)
            {
                continue;
            }

            if (typed.TryGetValue(key, out var text) && !string.IsNullOrWhiteSpace(text))
            {
                if (standard.Set(deal, text) is { } problem)
                {
                    errors[key] = L[problem];
                }
            }
            else if (!standard.IsFilled(deal))
            {
                missing.Add(MissingField.Of(standard, L));
            }
        }

        if (customTyped.Count > 0)
        {
            var customErrors = new Dictionary<string, string>(StringComparer.Ordinal);
            var parsed = customSet.Parse(customTyped, deal.CustomFields, partial: true, customErrors);
            foreach (var (key, message) in customErrors)
            {
                errors[RequirableField.CustomPrefix + key] = message;
            }

            if (parsed is not null && customErrors.Count == 0)
            {
                deal.CustomFields = parsed;
            }
        }

        return (missing, errors);
    }

    /// <summary>For a deal on a pause stage: the last ordinary open stage it was in, so the order resumes from there.</summary>
    private async Task<Stage> LastOrdinaryStageAsync(Deal deal, Pipeline pipeline, CancellationToken cancellationToken)
    {
        var ordinary = pipeline.Stages.Where(s => s.Kind == StageKind.Open && !s.IsPause).ToList();
        var ids = ordinary.Select(s => s.Id).ToArray();
        var last = await db.StageHistory.AsNoTracking()
            .Where(h => h.DealId == deal.Id && ids.Contains(h.StageId))
            .OrderByDescending(h => h.EnteredAt)
            .Select(h => (Guid?)h.StageId)
            .FirstOrDefaultAsync(cancellationToken);
        return ordinary.FirstOrDefault(s => s.Id == last) ?? ordinary.FirstOrDefault() ?? pipeline.Stages[0];
    }
}
