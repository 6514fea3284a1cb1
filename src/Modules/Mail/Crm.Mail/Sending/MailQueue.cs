using System.Globalization;
using Crm.Identity.Contracts;
using Crm.Mail.Contracts;
using Crm.Mail.Data;
using Crm.Mail.Domain;
using Crm.Mail.Jobs;
using Crm.Mail.Templates;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Crm.Mail.Sending;

/// <summary>A file to send with a mail, read from the compose form.</summary>
internal sealed record MailAttachmentInput(string FileName, string ContentType, byte[] Content);

/// <summary>
/// The outgoing queue: commits the mail (with its attachments) and then enqueues the thin Hangfire job
/// "mail:send" that carries only its id. "At most once per origin key" is the unique index on the key: a
/// second call finds the first mail and enqueues nothing. A job lost between the commit and the enqueue
/// (the process died) is enqueued again by the sweep, so a queued mail is never stranded.
/// </summary>
internal sealed class MailQueue(MailDbContext db, IBackgroundJobClient jobs, ICurrentUser currentUser, IUserDirectory users, TimeProvider clock) : IMailQueue
{
    /// <summary>All attachments of one mail together: most servers refuse mail much larger than this.</summary>
    public const long MaxAttachmentBytes = 10 * 1024 * 1024;

    public const int MaxAttachments = 10;

    public Task<Guid> QueueAsync(MailToSend mail, CancellationToken cancellationToken) =>
        QueueAsync(mail, null, [], cancellationToken);

    public async Task<Guid> QueueAsync(MailToSend mail, string? cc, IReadOnlyList<MailAttachmentInput> attachments, CancellationToken cancellationToken)
    {
        var originKey = string.IsNullOrWhiteSpace(mail.OriginKey) ? null : Cut(mail.OriginKey.Trim(), OutgoingMail.OriginKeyLength);
        if (originKey is not null && await FindByOriginAsync(originKey, cancellationToken) is { } existing)
        {
            return existing;
        }

        var now = clock.GetUtcNow();
        var (senderId, senderName) = await SenderAsync(mail.SentBy, cancellationToken);
        var row = new OutgoingMail
        {
            Id = Guid.CreateVersion7(),
            AccountId = mail.AccountId,
            To = Cut(mail.To.Trim(), OutgoingMail.AddressesLength),
            Cc = string.IsNullOrWhiteSpace(cc) ? null : Cut(cc.Trim(), OutgoingMail.AddressesLength),
            Subject = Cut(mail.Subject.Trim(), OutgoingMail.SubjectLength),
            HtmlBody = mail.HtmlBody,
            TextBody = string.IsNullOrWhiteSpace(mail.TextBody) ? MailText.FromHtml(mail.HtmlBody) : mail.TextBody,
            RecordKind = mail.RecordId is null ? null : mail.RecordKind,
            RecordId = mail.RecordKind is null ? null : mail.RecordId,
            OriginKey = originKey,
            Status = MailStatus.Queued,
            CreatedAt = now,
            EnqueuedAt = now,
            CreatedBy = senderId,
            CreatedByName = senderName,
            Culture = CrmCultures.IsSupported(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName) ? CultureInfo.CurrentUICulture.TwoLetterISOLanguageName : CrmCultures.Default,
            Attachments = [.. attachments.Select(a => new OutgoingAttachment
            {
                Id = Guid.CreateVersion7(),
                FileName = Cut(a.FileName, OutgoingAttachment.FileNameLength),
                ContentType = a.ContentType,
                Content = a.Content,
            })],
        };
        db.Outgoing.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (originKey is not null && exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another call with the same key committed first (two workers running one scenario action): that mail is the one.
            db.Entry(row).State = EntityState.Detached;
            foreach (var attachment in row.Attachments)
            {
                db.Entry(attachment).State = EntityState.Detached;
            }

            return await FindByOriginAsync(originKey, cancellationToken) ?? throw new InvalidOperationException("A mail with this origin key was committed and is gone.", exception);
        }

        Enqueue(jobs, row.Id);
        return row.Id;
    }

    /// <summary>Queues a failed mail again (the Retry button). False when it is not failed (sent meanwhile, or already queued).</summary>
    public async Task<bool> RetryAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var changed = await db.Outgoing.Where(m => m.Id == id && m.Status == MailStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MailStatus.Queued).SetProperty(m => m.FailureNoted, false).SetProperty(m => m.EnqueuedAt, now), cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        Enqueue(jobs, id);
        return true;
    }

    public static void Enqueue(IBackgroundJobClient jobs, Guid id) =>
        jobs.Enqueue<MailJobs>(job => job.SendAsync(id, CancellationToken.None));

    private Task<Guid?> FindByOriginAsync(string originKey, CancellationToken cancellationToken) =>
        db.Outgoing.AsNoTracking().Where(m => m.OriginKey == originKey).Select(m => (Guid?)m.Id).SingleOrDefaultAsync(cancellationToken);

    private async Task<(Guid? Id, string Name)> SenderAsync(Guid? sentBy, CancellationToken cancellationToken)
    {
        if (sentBy is null)
        {
            return currentUser.IsAuthenticated ? (currentUser.Id, currentUser.DisplayName) : (null, "");
        }

        if (currentUser.IsAuthenticated && currentUser.Id == sentBy)
        {
            return (sentBy, currentUser.DisplayName);
        }

        return (sentBy, (await users.FindUserAsync(sentBy.Value, cancellationToken))?.FullName ?? "");
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];
}
