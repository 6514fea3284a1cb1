using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crm.Automation.Domain;
using Crm.Deals.Contracts;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;
using Crm.SharedKernel.Templates;
using Crm.SharedKernel.Time;
using Crm.Tasks.Contracts;

namespace Crm.Automation.Running;

/// <summary>
/// What each kind of action does, with the action's idempotency key handed to the effect: the task's origin key,
/// the notification's once key, the webhook's Idempotency-Key. Texts are templates rendered against the run's
/// record: a deal, a lead, a task (<see cref="ScenarioRunner.ModelAsync"/>), in the company's language (a scenario
/// belongs to no one user). Setting a field and moving a stage are a deal's only; the others work on any record.
/// What an action did, or why not, is kept as a <see cref="StoredText"/> (an English key with its arguments),
/// shown in each reader's language.
/// </summary>
internal sealed class ActionEffects(
    IEnumerable<IPlaceholderSource> sources,
    IScheduledTasks tasks,
    INotifications notifications,
    IDealActions deals,
    IUserDirectory users,
    IHttpClientFactory http,
    Crm.Mail.Contracts.IMailTemplates mailTemplates,
    Crm.Mail.Contracts.IMailQueue mail,
    WebhookSecrets secrets,
    TimeProvider clock)
{
    public const string WebhookClient = "automation-webhooks";

    /// <summary>"Tomorrow at 10:00" for a scenario's task is 10:00 where the assignee works: their profile's zone.</summary>
    public static async Task<TimeZoneInfo> AssigneeZoneAsync(IUserDirectory users, Guid assignee, CancellationToken cancellationToken) =>
        TimeZones.Find((await users.FindUserAsync(assignee, cancellationToken))?.TimeZoneId);

    public async Task<ActionOutcome> DoAsync(ActionRun action, ScenarioRun run, CancellationToken cancellationToken)
    {
        var definition = action.Definition;
        if (definition.DelayMinutes > 0 && run.Trigger == TriggerKinds.StageEntered && run.DealId is { } dealId && !await deals.IsInStageAsync(dealId, run.StageId, cancellationToken))
        {
            return new ActionOutcome(new StoredText(TextKey.Of("The deal left the stage before the delay ended.")), Skipped: true);
        }

        // Deleted after the trigger: nothing left to act on, and retrying will not bring it back.
        if (await ScenarioRunner.ModelAsync(sources, run.RecordKind, run.RecordId, cancellationToken) is not { } model)
        {
            return new ActionOutcome(new StoredText(run.DealId is null ? TextKey.Of("The record was deleted.") : TextKey.Of("The deal was deleted.")), Skipped: true);
        }

        // The editor refuses these for other records; a scenario saved before that rule still must not act on no deal.
        if (ActionKinds.DealOnly.Contains(action.Kind) && run.DealId is null)
        {
            throw new ActionFailedException(new StoredText(TextKey.Of("This action changes a deal; the scenario's record is not a deal.")));
        }

        return action.Kind switch
        {
            ActionKinds.CreateTask => await CreateTaskAsync(action, model, run, cancellationToken),
            ActionKinds.Notify => await NotifyAsync(action, model, run, cancellationToken),
            ActionKinds.SetField => Done(await deals.SetFieldAsync(run.DealId!.Value, definition.Field ?? "", await RenderAsync(definition.Value, model), cancellationToken)),
            ActionKinds.MoveStage => Done(await deals.MoveAsync(run.DealId!.Value, definition.StageId ?? Guid.Empty, run.Depth + 1, cancellationToken)),
            ActionKinds.Webhook => await CallWebhookAsync(action, model, run, cancellationToken),
            ActionKinds.SendMail => await SendMailAsync(action, model, run, cancellationToken),
            _ => throw new ActionFailedException(TextKey.Of("This kind of action ({0}) is not available."), action.Kind),
        };
    }

    // Deals' message is already in words (in the language of the change that started the run): kept as it is.
    private static ActionOutcome Done(DealActionResult result) =>
        result.Succeeded ? new ActionOutcome(new StoredText(result.Message)) : throw new ActionFailedException(new StoredText(result.Message));

    /// <summary>Templates render in the company's language: numbers, money and dates as it writes them.</summary>
    private static CultureInfo RenderCulture => CrmCultures.Formatting(CrmCultures.Default);

    private static Task<string> RenderAsync(string? template, PlaceholderModel model) =>
        TemplateText.RenderTextAsync(template, model, RenderCulture);

    private async Task<ActionOutcome> CreateTaskAsync(ActionRun action, PlaceholderModel model, ScenarioRun run, CancellationToken cancellationToken)
    {
        var definition = action.Definition;
        var assignee = (await RecipientsAsync(definition, model, cancellationToken)) is [var first, ..] ? first : Guid.Empty;
        if (assignee == Guid.Empty)
        {
            throw new ActionFailedException(TextKey.Of("Nobody to set the task for: the rule found no user."));
        }

        var title = await RenderAsync(definition.Text, model);
        var (dueAt, allDay) = DueOffset.Resolve(definition.DueOffset, clock.GetUtcNow(), await AssigneeZoneAsync(users, assignee, cancellationToken));
        var (linkKind, linkId) = LinkedRecord(run, model);
        var result = await tasks.CreateOnceAsync(
            new TaskToSchedule(string.IsNullOrWhiteSpace(title) ? "—" : title, definition.TaskKind ?? "call", assignee, dueAt, allDay, linkKind, linkId, action.Key),
            cancellationToken);
        return result.TaskId is { } id
            ? new ActionOutcome(result.Created ? new StoredText(TextKey.Of("Task {0} «{1}» set"), id.ToString(), title) : new StoredText(TextKey.Of("Task {0} already set by this action"), id.ToString()))
            : throw new ActionFailedException(result.Error is { } error ? new StoredText(error) : new StoredText(TextKey.Of("The task was not created.")));
    }

    private async Task<ActionOutcome> NotifyAsync(ActionRun action, PlaceholderModel model, ScenarioRun run, CancellationToken cancellationToken)
    {
        var recipients = await RecipientsAsync(action.Definition, model, cancellationToken);
        if (recipients.Count == 0)
        {
            throw new ActionFailedException(TextKey.Of("Nobody to notify: the rule found no user."));
        }

        var text = await RenderAsync(action.Definition.Text, model);
        await notifications.NotifyAsync(
            recipients.Select(user => new NotificationWrite(user, AutomationModule.NotificationKind, text, RecordUrl(run), "automation:" + action.Key)).ToList(),
            cancellationToken);
        return new ActionOutcome(new StoredText(TextKey.Of("Notified {0}: {1}"), recipients.Count, text));
    }

    /// <summary>
    /// Renders the template for the deal and queues the mail with the action's key as its origin key: the Mail
    /// module queues it once and sends it by its own job (retried there, visible on the deal's timeline).
    /// </summary>
    private async Task<ActionOutcome> SendMailAsync(ActionRun action, PlaceholderModel model, ScenarioRun run, CancellationToken cancellationToken)
    {
        var template = await mailTemplates.FindAsync(action.Definition.TemplateId ?? Guid.Empty, cancellationToken)
            ?? throw new ActionFailedException(TextKey.Of("The mail template was deleted."));
        var to = (action.Definition.MailTo ?? "contact") switch
        {
            "contact" => Conditions.Value(model, "contact.email") ?? Conditions.Value(model, "client.email"),
            "owner" => Conditions.Value(model, "owner.email"),
            var address => address,
        };
        if (string.IsNullOrWhiteSpace(to))
        {
            throw new ActionFailedException(TextKey.Of("No address to send to: the deal's contact has no e-mail."));
        }

        var culture = RenderCulture;
        var subject = await TemplateText.RenderTextAsync(template.Subject, model, culture);
        var html = TemplateText.TryParse(template.HtmlBody, out var body, out _) ? await TemplateText.RenderHtmlAsync(body, model, culture) : template.HtmlBody;
        var text = template.TextBody is { } plain ? await TemplateText.RenderTextAsync(plain, model, culture) : null;
        var (recordKind, recordId) = LinkedRecord(run, model);
        var id = await mail.QueueAsync(new Crm.Mail.Contracts.MailToSend(to, subject, html, text, recordKind, recordId, action.Key), cancellationToken);
        return new ActionOutcome(new StoredText(TextKey.Of("Mail {0} «{1}» queued to {2}"), id.ToString(), subject, to));
    }

    /// <summary>
    /// The record a task, a mail or a timeline line of the action goes on: the deal or the lead itself; for a task
    /// trigger the task's linked record (none when it has none).
    /// </summary>
    private static (string? Kind, Guid? Id) LinkedRecord(ScenarioRun run, PlaceholderModel model)
    {
        if (run.RecordKind != EntityKinds.Task)
        {
            return (run.RecordKind, run.RecordId);
        }

        return Conditions.Value(model, "task.link_kind") is { } kind && Guid.TryParse(Conditions.Value(model, "task.link_id"), out var id) ? (kind, id) : (null, null);
    }

    /// <summary>Where a notification about the run's record leads: its card.</summary>
    public static string RecordUrl(ScenarioRun run) => RecordUrl(run.RecordKind, run.RecordId);

    public static string RecordUrl(string recordKind, Guid recordId) => recordKind switch
    {
        EntityKinds.Lead => "/leads/" + recordId,
        EntityKinds.Task => "/tasks/" + recordId,
        EntityKinds.Company => "/companies/" + recordId,
        EntityKinds.Contact => "/contacts/" + recordId,
        _ => "/deals/" + recordId,
    };

    private Task<IReadOnlyList<Guid>> RecipientsAsync(ScenarioAction definition, PlaceholderModel model, CancellationToken cancellationToken) =>
        Recipients.ResolveAsync(definition, model, users, cancellationToken);

    /// <summary>
    /// POSTs the event as JSON, signed with HMAC-SHA256 of the body under the scenario's secret
    /// ("X-Crm-Signature: sha256=…"), with the action's key as Idempotency-Key, the same on every retry. The
    /// body is built from the trigger's own time, so a retry sends the same bytes. Anything but 2xx within
    /// 10 s is a failure (retried with back-off).
    /// </summary>
    private async Task<ActionOutcome> CallWebhookAsync(ActionRun action, PlaceholderModel model, ScenarioRun run, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(action.Definition.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new ActionFailedException(TextKey.Of("The webhook's address is not an http(s) URL."));
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = run.Trigger,
            record = new { kind = run.RecordKind, id = run.RecordId },
            scenario = new { id = run.ScenarioId, name = run.ScenarioName },
            deal = model.Fields("deal"),
            client = model.Fields("client"),
            contact = model.Fields("contact"),
            owner = model.Fields("owner"),
            lead = model.Fields("lead"),
            task = model.Fields("task"),
            stage = run.DealId is null ? null : new { id = run.StageId, name = Conditions.Value(model, "deal.stage") },
            user = run.ActorId,
            time = run.TriggeredAt,
            idempotencyKey = action.Key,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("Idempotency-Key", action.Key);
        request.Headers.Add("X-Crm-Event", run.Trigger);
        // The secret is read only here, to sign; an action copied before secrets were protected holds the plain one.
        var secret = action.Definition.SecretCipher is { } cipher
            ? secrets.Unprotect(cipher) ?? throw new ActionFailedException(TextKey.Of("The webhook's secret cannot be read (the encryption keys changed): enter it again in the scenario."))
            : action.Definition.Secret;
        if (!string.IsNullOrEmpty(secret))
        {
            request.Headers.Add("X-Crm-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        }

        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await http.CreateClient(WebhookClient).SendAsync(request, cancellationToken);
            var code = (int)response.StatusCode;
            var text = new StoredText(TextKey.Of("HTTP {0} in {1} ms"), code, watch.ElapsedMilliseconds);
            return response.IsSuccessStatusCode ? new ActionOutcome(text) : throw new ActionFailedException(text);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The exception's own message is from outside (the network stack): kept as it is, as an argument.
            throw new ActionFailedException(TextKey.Of("No answer ({0}: {1}) after {2} ms"), exception.GetType().Name, exception.Message, watch.ElapsedMilliseconds);
        }
    }
}
