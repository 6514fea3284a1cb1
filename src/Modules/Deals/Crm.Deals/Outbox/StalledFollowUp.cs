using System.Globalization;
using Crm.Deals.Contracts;
using Crm.Deals.Data;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;
using Crm.Tasks.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace Crm.Deals.Outbox;

/// <summary>
/// What the company wants done when a deal stalls, before any scenario: the owner is notified, the head of the
/// owner's department too when <see cref="StalledDealSettings.NotifyHead"/>, and the owner gets a follow-up task
/// when <see cref="StalledDealSettings.FollowUpTask"/>. It takes the "stalled" triggers from the outbox like any
/// subscriber, so it happens once per episode (the sweep raises the trigger once per stay in a stage) and
/// survives a crash (a batch is handed over again until every subscriber took it). The trigger's event id keys
/// the notifications and the task, so a batch handed over twice notifies and sets nothing twice.
/// </summary>
internal sealed class StalledFollowUp(
    DealsDbContext db,
    IUserDirectory users,
    INotifications notifications,
    IScheduledTasks tasks,
    StalledDealSettings settings,
    IStringLocalizer<DealsStrings> strings,
    TimeProvider clock,
    ILogger<StalledFollowUp> logger) : IDealTriggerSubscriber
{
    public const string NotificationKind = "deal_stalled";

    /// <summary>Named L like the views' localizer so the translation check finds every key.</summary>
    private IStringLocalizer<DealsStrings> L => strings;

    public async Task HandleAsync(IReadOnlyList<DealTriggered> triggers, CancellationToken cancellationToken)
    {
        var stalled = triggers.Where(t => t.Kind == DealTriggerKinds.Stalled).ToList();
        if (stalled.Count == 0)
        {
            return;
        }

        var ids = stalled.Select(t => t.DealId).Distinct().ToArray();
        var deals = await db.Deals.AsNoTracking().Where(d => ids.Contains(d.Id) && d.DeletedAt == null)
            .Select(d => new { d.Id, d.Title, d.OwnerId }).ToDictionaryAsync(d => d.Id, cancellationToken);
        var owners = await users.GetUsersAsync(deals.Values.Select(d => d.OwnerId).Distinct(), cancellationToken);
        var heads = settings.NotifyHead
            ? (await users.GetDepartmentsAsync(cancellationToken)).Where(d => d.HeadUserId is not null).ToDictionary(d => d.Id, d => d.HeadUserId!.Value)
            : [];

        var writes = new List<NotificationWrite>();
        foreach (var trigger in stalled)
        {
            if (!deals.TryGetValue(trigger.DealId, out var deal))
            {
                continue;
            }

            var onceKey = $"deal:{deal.Id}:stalled:{trigger.EventId}";
            var link = "/deals/" + deal.Id;
            writes.Add(new NotificationWrite(deal.OwnerId, NotificationKind, deal.Title, link, onceKey));
            if (owners.TryGetValue(deal.OwnerId, out var owner) && heads.TryGetValue(owner.DepartmentId, out var head) && head != deal.OwnerId)
            {
                writes.Add(new NotificationWrite(head, NotificationKind, deal.Title, link, onceKey));
            }
        }

        await notifications.NotifyAsync(writes, cancellationToken);
        if (!settings.FollowUpTask)
        {
            return;
        }

        foreach (var trigger in stalled)
        {
            if (deals.TryGetValue(trigger.DealId, out var deal) && owners.TryGetValue(deal.OwnerId, out var owner) && owner.IsActive)
            {
                await SetFollowUpAsync(trigger, deal.Id, deal.Title, owner, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A call for the owner, due a day after the deal stalled, set as the owner (a manager may set tasks for
    /// themself). Its title is in the company's language: it is the task's own text, not translated per reader.
    /// </summary>
    private async Task SetFollowUpAsync(DealTriggered trigger, Guid dealId, string title, UserSummary owner, CancellationToken cancellationToken)
    {
        var culture = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(CrmCultures.Default);
            var taskTitle = L["Get the stalled deal moving: {0}", title].Value;
            using var acting = ActingUser.As(owner.Id, owner.FullName);
            var result = await tasks.CreateOnceAsync(
                new TaskToSchedule(taskTitle, "call", owner.Id, clock.GetUtcNow().AddDays(1), false, EntityKinds.Deal, dealId, $"deal-stalled:{trigger.EventId}"),
                cancellationToken);
            if (result.TaskId is null)
            {
                logger.LogWarning("No follow-up task for stalled deal {DealId}: {Error}", dealId, result.Error);
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }
}

/// <summary>
/// What happens when a deal stalls, from configuration (<c>Crm:Deals:Stalled:NotifyHead</c>,
/// <c>Crm:Deals:Stalled:FollowUpTask</c>, both on unless set to false). The owner is always notified.
/// </summary>
internal sealed record StalledDealSettings(bool NotifyHead, bool FollowUpTask);
