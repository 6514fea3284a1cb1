using System.Globalization;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Crm.Mail.Data;
using Crm.Mail.Domain;
using Crm.Mail.Records;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace Crm.Mail.Sending;

internal enum DeliveryOutcome
{
    /// <summary>Handed to the server now.</summary>
    Sent,

    /// <summary>The server or the account refused; the mail is Failed with the error, retryable.</summary>
    Failed,

    /// <summary>Nothing done: already sent, being sent by another job, or gone.</summary>
    Skipped,
}

/// <summary>
/// Sends one queued mail, at most once: the row is claimed with a status change (Queued/Failed → Sending,
/// one UPDATE that only one job can win) before the server is contacted, so a retried or duplicated job
/// that finds it Sending or Sent does nothing. The outcome is written back, and the record's timeline gets
/// "sent", or "not sent" once per failure episode (automatic retries do not repeat it).
/// </summary>
internal sealed class MailDelivery(
    MailDbContext db,
    IMailSender sender,
    SmtpPasswords passwords,
    MailRecords records,
    IStringLocalizer<MailStrings> L,
    TimeProvider clock,
    ILogger<MailDelivery> logger)
{
    public static readonly string NoAccount = TextKey.Of("No mail account to send from: an administrator adds one under Mail accounts.");
    public static readonly string PasswordUnreadable = TextKey.Of("The account's password cannot be read (the encryption keys changed): enter it again on the account.");

    public async Task<DeliveryOutcome> SendAsync(Guid id, CancellationToken cancellationToken)
    {
        var claimedAt = clock.GetUtcNow();
        // An interrupted send (the sweep's mark) may have reached the server: only a person's Retry (back to Queued) sends it again.
        var interrupted = MailSweep.Interrupted;
        var claimed = await db.Outgoing.Where(m => m.Id == id && (m.Status == MailStatus.Queued || (m.Status == MailStatus.Failed && m.LastError != interrupted)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, MailStatus.Sending)
                .SetProperty(m => m.ClaimedAt, claimedAt)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
        if (claimed == 0)
        {
            return DeliveryOutcome.Skipped;
        }

        var mail = await db.Outgoing.AsNoTracking().Include(m => m.Attachments).SingleAsync(m => m.Id == id, cancellationToken);
        string? error;
        try
        {
            error = await DeliverAsync(mail, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A refused connection, a rejected address, a bad TLS handshake: kept with the mail for people to read.
            error = Describe(exception);
            logger.LogWarning("Mail {MailId} was not sent: {Error}", id, error);
        }

        if (error is null)
        {
            var sentAt = clock.GetUtcNow();
            await db.Outgoing.Where(m => m.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, MailStatus.Sent)
                .SetProperty(m => m.SentAt, sentAt)
                .SetProperty(m => m.LastError, (string?)null), CancellationToken.None);
            await TellRecordAsync(mail, TextKey.Of("E-mail sent: {0}"), null, CancellationToken.None);
            return DeliveryOutcome.Sent;
        }

        var stored = error.Length <= OutgoingMail.ErrorLength ? error : error[..OutgoingMail.ErrorLength];
        await db.Outgoing.Where(m => m.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, MailStatus.Failed)
            .SetProperty(m => m.LastError, stored)
            .SetProperty(m => m.FailureNoted, true), CancellationToken.None);
        if (!mail.FailureNoted)
        {
            await TellRecordAsync(mail, TextKey.Of("E-mail not sent: {0}"), stored, CancellationToken.None);
        }

        return DeliveryOutcome.Failed;
    }

    /// <summary>Null when handed to the server; else why not (no account, unreadable password).</summary>
    private async Task<string?> DeliverAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var account = mail.AccountId is { } accountId
            ? await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken)
            : await db.Accounts.AsNoTracking().Where(a => a.OwnerId == null).OrderByDescending(a => a.IsDefault).ThenBy(a => a.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return NoAccount;
        }

        string? password = null;
        if (account.PasswordCipher is { } cipher && (password = passwords.Unprotect(cipher)) is null)
        {
            return PasswordUnreadable;
        }

        using var message = Message(mail, account);
        await sender.SendAsync(new SmtpServer(account.Host, account.Port, account.Tls, account.UserName, password), message, cancellationToken);
        return null;
    }

    private static MailMessage Message(OutgoingMail mail, MailAccount account)
    {
        var from = new MailAddress(account.FromAddress, account.FromName, Encoding.UTF8);
        var message = new MailMessage
        {
            From = from,
            Subject = mail.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,

            // Text first, HTML as the alternative: clients show the richest part they can.
            Body = mail.TextBody,
            BodyEncoding = Encoding.UTF8,
            IsBodyHtml = false,
        };
        message.To.Add(mail.To);
        if (!string.IsNullOrWhiteSpace(mail.Cc))
        {
            message.CC.Add(mail.Cc);
        }

        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(mail.HtmlBody, Encoding.UTF8, MediaTypeNames.Text.Html));

        // The same id on every attempt: a receiving system can tell a resend from a new mail.
        message.Headers.Add("Message-ID", $"<{mail.Id:N}@{from.Host}>");
        foreach (var attachment in mail.Attachments)
        {
            message.Attachments.Add(new Attachment(new MemoryStream(attachment.Content, writable: false), attachment.FileName, attachment.ContentType));
        }

        return message;
    }

    /// <summary>A line on the record's timeline, in the language of whoever queued the mail, as that user. Best effort: the mail's own status is already saved.</summary>
    private async Task TellRecordAsync(OutgoingMail mail, string subjectKey, string? error, CancellationToken cancellationToken)
    {
        if (mail.RecordKind is not { } kind || mail.RecordId is not { } recordId)
        {
            return;
        }

        var culture = CultureInfo.CurrentUICulture;
        var formatting = CultureInfo.CurrentCulture;
        using var acting = mail.CreatedBy is { } author ? ActingUser.As(author, mail.CreatedByName) : null;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(mail.Culture);
            CultureInfo.CurrentCulture = CrmCultures.Formatting(mail.Culture);
            var subject = L[subjectKey, mail.Subject].Value;
            var text = error is null ? L["To: {0}", mail.To].Value : L["To: {0}", mail.To].Value + "\n" + L[error].Value;
            await records.WriteTimelineAsync(kind, recordId, subject, text, mail.CreatedBy, MailRecords.CardUrl(kind, recordId), cancellationToken);
        }
        catch (Exception exception) when (exception is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException)
        {
            logger.LogWarning(exception, "The timeline of {Kind} {RecordId} was not told of mail {MailId}", kind, recordId, mail.Id);
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
            CultureInfo.CurrentCulture = formatting;
        }
    }

    /// <summary>"Failure sending mail. → Connection refused": the outer message says what, the inner ones why.</summary>
    private static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (!parts.Contains(current.Message))
            {
                parts.Add(current.Message);
            }
        }

        return string.Join(" → ", parts);
    }
}
