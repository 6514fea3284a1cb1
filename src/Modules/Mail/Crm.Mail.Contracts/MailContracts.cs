namespace Crm.Mail.Contracts;

/// <summary>
/// A mail to send: to one or more addresses (comma-separated), its subject and HTML body already rendered,
/// an optional plain-text part (derived from the HTML when null), the record it is about
/// (<paramref name="RecordKind"/> "deal", "company", "contact" or "lead" and its id: the mail goes on that
/// record's timeline), and <paramref name="OriginKey"/>, which names the cause (a scenario action's
/// idempotency key): the same key never queues a second mail. No account: the default shared one.
/// </summary>
public sealed record MailToSend(
    string To,
    string Subject,
    string HtmlBody,
    string? TextBody,
    string? RecordKind,
    Guid? RecordId,
    string OriginKey,
    Guid? AccountId = null,
    Guid? SentBy = null);

/// <summary>
/// The outgoing queue: the mail is committed, then sent by a background job (retried with back-off, never
/// sent twice); a failure stays visible on the record and can be retried by hand.
/// </summary>
public interface IMailQueue
{
    /// <summary>
    /// Queues the mail at most once per <see cref="MailToSend.OriginKey"/>: a second call with the same key
    /// returns the first mail's id and queues nothing.
    /// </summary>
    Task<Guid> QueueAsync(MailToSend mail, CancellationToken cancellationToken);
}

/// <summary>A mail template as an admin wrote it: Liquid placeholders (<c>{{ deal.title }}</c>) not yet rendered.</summary>
public sealed record MailTemplateText(Guid Id, string Name, string Subject, string HtmlBody, string? TextBody);

/// <summary>The mail templates, for a scenario's "send an e-mail from a template" action.</summary>
public interface IMailTemplates
{
    Task<IReadOnlyList<MailTemplateText>> ListAsync(CancellationToken cancellationToken);

    Task<MailTemplateText?> FindAsync(Guid id, CancellationToken cancellationToken);
}
