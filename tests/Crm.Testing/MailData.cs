using Crm.Mail.Data;
using Crm.Mail.Domain;
using Crm.Mail.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Testing;

/// <summary>Mail accounts and queued mail for tests, and the send job run the way Hangfire runs it.</summary>
internal static class MailData
{
    /// <summary>A shared account that sends to 127.0.0.1:<paramref name="port"/> without TLS or password.</summary>
    public static Task<MailAccount> AccountAsync(IServiceProvider app, int port, bool isDefault = false) =>
        DealsData.WithScopeAsync(app, async services =>
        {
            var db = services.GetRequiredService<MailDbContext>();
            if (isDefault)
            {
                await db.Accounts.Where(a => a.IsDefault).ExecuteUpdateAsync(s => s.SetProperty(a => a.IsDefault, false));
            }

            var account = new MailAccount
            {
                Id = Guid.CreateVersion7(),
                Name = "Test SMTP " + port,
                Host = "127.0.0.1",
                Port = port,
                Tls = MailTlsMode.None,
                FromAddress = "sales@crm.local",
                FromName = "Отдел продаж",
                IsDefault = isDefault,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            return account;
        });

    public static Task<OutgoingMail> ReloadAsync(IServiceProvider app, Guid id) =>
        DealsData.WithScopeAsync(app, services => services.GetRequiredService<MailDbContext>().Outgoing.AsNoTracking().SingleAsync(m => m.Id == id));

    public static Task<List<OutgoingMail>> ForRecordAsync(IServiceProvider app, Guid recordId) =>
        DealsData.WithScopeAsync(app, services => services.GetRequiredService<MailDbContext>().Outgoing.AsNoTracking()
            .Where(m => m.RecordId == recordId).OrderBy(m => m.CreatedAt).ToListAsync());

    /// <summary>
    /// A mail put straight into the queue table with the given state and time (as if queued then), without a
    /// job: for the outgoing list's filters and paging, and a failed mail to retry.
    /// </summary>
    public static Task<OutgoingMail> OutgoingAsync(
        IServiceProvider app, string subject, MailStatus status, DateTimeOffset createdAt, string to = "buyer@client.example",
        string? recordKind = null, Guid? recordId = null, Guid? accountId = null, string? originKey = null, string? lastError = null) =>
        DealsData.WithScopeAsync(app, async services =>
        {
            var db = services.GetRequiredService<MailDbContext>();
            var at = createdAt.ToUniversalTime(); // timestamptz takes UTC only
            var mail = new OutgoingMail
            {
                Id = Guid.CreateVersion7(),
                AccountId = accountId,
                To = to,
                Subject = subject,
                HtmlBody = "<p>" + subject + "</p>",
                TextBody = subject,
                RecordKind = recordId is null ? null : recordKind,
                RecordId = recordId,
                OriginKey = originKey,
                Status = status,
                Attempts = status is MailStatus.Queued ? 0 : 1,
                LastError = status == MailStatus.Failed ? lastError ?? "The server refused the connection (127.0.0.1:9)." : null,
                FailureNoted = status == MailStatus.Failed,
                CreatedAt = at,
                EnqueuedAt = at,
                ClaimedAt = status is MailStatus.Queued ? null : at,
                SentAt = status == MailStatus.Sent ? at : null,
                CreatedByName = "Анна Смирнова",
            };
            db.Outgoing.Add(mail);
            await db.SaveChangesAsync();
            return mail;
        });

    /// <summary>Runs the "mail:send" job for one mail in its own scope, as a Hangfire worker would (no user).</summary>
    public static Task SendAsync(IServiceProvider app, Guid mailId) =>
        DealsData.WithScopeAsync(app, services => services.GetRequiredService<MailJobs>().SendAsync(mailId, CancellationToken.None));
}
