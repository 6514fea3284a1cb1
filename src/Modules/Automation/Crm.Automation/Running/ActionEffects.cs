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
using Crm.SharedKernel.Templates;
using Crm.Tasks.Contracts;

namespace Crm.Automation.Running;

/// <summary>
/// What each kind of action does, with the action's idempotency key handed to the effect: the task's origin key,
/// the notification's once key, the webhook's Idempotency-Key. Texts are templates rendered against the run's
/// record: a deal, a lead, a task (<see cref="ScenarioRunner.ModelAsync"/>). Setting a field and moving a stage
/// are a deal's only; the others work on any record.
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
    TimeProvider clock)
{
    public const string WebhookClient = "automation-webhooks";

    /// <summary>The company's zone for "tomorrow at 10:00" in scenario tasks (the scenario has no user of its own).</summary>
    public static readonly TimeZoneInfo CompanyZone = TimeZoneInfo.TryFindSystemTimeZoneById("Europe/Moscow", out var zone) ? zone : TimeZoneInfo.Utc;

    public async Task<ActionOutcome> DoAsync(ActionRun action, ScenarioRun run, CancellationToken cancellationToken)
    {
        var definition = action.Definition;
        if (definition.DelayMinutes > 0 && run.Trigger == TriggerKinds.StageEntered && run.DealId is { } dealId && !await deals.IsInStageAsync(dealId, run.StageId, cancellationToken))
        {
            return new ActionOutcome("The deal left the stage before the delay ended.", Skipped: true);
        }

        // Deleted after the trigger: nothing left to act on, and retrying will not bring it back.
        if (await ScenarioRunner.ModelAsync(sources, run.RecordKind, run.RecordId, cancellationToken) is not { } model)
        {
            return new ActionOutcome(run.DealId is null ? "The record was deleted." : "The deal was deleted.", Skipped: true);
        }

        // The editor refuses these for other records; a scenario saved before that rule still must not act on no deal.
        if (ActionKinds.DealOnly.Contains(action.Kind) && run.DealId is null)
        {
            throw new ActionFailedException("This action changes a deal; the scenario's record is not a deal.");
        }

        return action.Kind switch
        {
            ActionKinds.CreateTask => await CreateTaskAsync(action, model, run, cancellationToken),
            ActionKinds.Notify => await NotifyAsync(action, model, run, cancellationToken),
            ActionKinds.SetField => Done(await deals.SetFieldAsync(run.DealId!.Value, definition.Field ?? "", await RenderAsync(definition.Value, model), cancellationToken)),
            ActionKinds.MoveStage => Done(await deals.MoveAsync(run.DealId!.Value, definition.StageId ?? Guid.Empty, run.Depth + 1, cancellationToken)),
            ActionKinds.Webhook => await CallWebhookAsync(action, model, run, cancellationToken),
            ActionKinds.SendMail => await SendMailAsync(action, model, run, cancellationToken),
            _ => throw new ActionFailedException($"This kind of action ({action.Kind}) is not available."),
        };
    }

    private static ActionOutcome Done(DealActionResult result) =>
        result.Succeeded ? new ActionOutcome(result.Message) : throw new ActionFailedException(result.Message);

    private static Task<string> RenderAsync(string? template, PlaceholderModel model) =>
        TemplateText.RenderTextAsync(template, model, CultureInfo.GetCultureInfo("ru"));

    private async Task<ActionOutcome> CreateTaskAsync(ActionRun action, PlaceholderModel model, ScenarioRun run, CancellationToken cancellationToken)
    {
        var definition = action.Definition;
        var assignee = (await RecipientsAsync(definition, model, cancellationToken)) is [var first, ..] ? first : Guid.Empty;
        if (assignee == Guid.Empty)
        {
            throw new ActionFailedException("Nobody to set the task for: the rule found no user.");
        }

        var title = await RenderAsync(definition.Text, model);
        var (dueAt, allDay) = DueOffset.Resolve(definition.DueOffset, clock.GetUtcNow(), CompanyZone);
        var (linkKind, linkId) = LinkedRecord(run, model);
        var result = await tasks.CreateOnceAsync(
            new TaskToSchedule(string.IsNullOrWhiteSpace(title) ? "—" : title, definition.TaskKind ?? "call", assignee, dueAt, allDay, linkKind, linkId, action.Key),
            cancellationToken);
        return result.TaskId is { } id
            ? new ActionOutcome(result.Created ? $"Task {id} «{title}» set" : $"Task {id} already set by this action")
            : throw new ActionFailedException(result.Error ?? "The task was not created.");
    }

    private async Task<ActionOutcome> NotifyAsync(ActionRun action, PlaceholderModel model, ScenarioRun run, CancellationToken cancellationToken)
    {
        var recipients = await RecipientsAsync(action.Definition, model, cancellationToken);
        if (recipients.Count == 0)
        {
            throw new ActionFailedException("Nobody to notify: the rule found no user.");
        }

        var text = await RenderAsync(action.Definition.Text, model);
        await notifications.NotifyAsync(
            recipients.Select(user => new NotificationWrite(user, AutomationModule.NotificationKind, text, RecordUrl(run), "automation:" + action.Key)).ToList(),
            cancellationToken);
        return new ActionOutcome($"Notified {recipients.Count}: {text}");
    }

    /// <summary>
    /// Renders the template for the deal and queues the mail with the action's key as its origin key: the Mail
    /// module queues it once and sends it by its own job (retried there, visible on the deal's timeline).
    /// </summary>
    private async Task<ActionOutcome> SendMailAsync(ActionRun action, PlaceholderModel model, ScenarioRun run, CancellationToken cancellationToken)
    {
        var template = await mailTemplates.FindAsync(action.Definition.TemplateId ?? Guid.Empty, cancellationToken)
            ?? throw new ActionFailedException("The mail template was deleted.");
        var to = (action.Definition.MailTo ?? "contact") switch
        {
            "contact" => Conditions.Value(model, "contact.email") ?? Conditions.Value(model, "client.email"),
            "owner" => Conditions.Value(model, "owner.email"),
            var address => address,
        };
        if (string.IsNullOrWhiteSpace(to))
        {
            throw new ActionFailedException("No address to send to: the deal's contact has no e-mail.");
        }

        var culture = CultureInfo.GetCultureInfo("ru");
        var subject = await TemplateText.RenderTextAsync(template.Subject, model, culture);
        var html = TemplateText.TryParse(template.HtmlBody, out var body, out _) ? await TemplateText.RenderHtmlAsync(body, model, culture) : template.HtmlBody;
        var text = template.TextBody is { } plain ? await TemplateText.RenderTextAsync(plain, model, culture) : null;
        var (recordKind, recordId) = LinkedRecord(run, model);
        var id = await mail.QueueAsync(new Crm.Mail.Contracts.MailToSend(to, subject, html, text, recordKind, recordId, action.Key), cancellationToken);
        return new ActionOutcome($"Mail {id} «{subject}» queued to {to}");
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
            throw new ActionFailedException("The webhook's address is not an http(s) URL.");
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
        if (!string.IsNullOrEmpty(action.Definition.Secret))
        {
            request.Headers.Add("X-Crm-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(action.Definition.Secret), body)));
        }

        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await http.CreateClient(WebhookClient).SendAsync(request, cancellationToken);
            var code = (int)response.StatusCode;
            var text = $"HTTP {code} in {watch.ElapsedMilliseconds} ms";
            return response.IsSuccessStatusCode ? new ActionOutcome(text) : throw new ActionFailedException(text);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ActionFailedException($"No answer ({exception.GetType().Name}: {exception.Message}) after {watch.ElapsedMilliseconds} ms");
        }
    }
}
