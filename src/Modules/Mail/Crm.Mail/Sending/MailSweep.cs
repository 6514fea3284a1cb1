using Crm.Mail.Data;
using Crm.Mail.Domain;
using Crm.SharedKernel.Localization;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Crm.Mail.Sending;

/// <summary>
/// What keeps the queue honest when a process dies: a mail still queued long after its job was enqueued
/// (the job was lost between the commit and the enqueue) gets a new job; a mail claimed for sending long ago
/// (its job died mid-send) becomes Failed with a warning instead of being sent again, because nobody can
/// tell whether the server took it: a person decides and retries.
/// </summary>
internal sealed class MailSweep(MailDbContext db, IBackgroundJobClient jobs, TimeProvider clock)
{
    /// <summary>Far longer than a send can take (the SMTP timeout is a minute) and than a busy queue's wait.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    public const int Batch = 200;

    public static readonly string Interrupted = TextKey.Of("Sending was interrupted: the mail may or may not have arrived. Check with the recipient before retrying.");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var before = now - Patience;
        await db.Outgoing.Where(m => m.Status == MailStatus.Sending && m.ClaimedAt < before)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MailStatus.Failed).SetProperty(m => m.LastError, Interrupted), cancellationToken);

        var stranded = await db.Outgoing.Where(m => m.Status == MailStatus.Queued && m.EnqueuedAt < before)
            .OrderBy(m => m.EnqueuedAt).Select(m => m.Id).Take(Batch).ToListAsync(cancellationToken);
        if (stranded.Count == 0)
        {
            return;
        }

        await db.Outgoing.Where(m => stranded.Contains(m.Id)).ExecuteUpdateAsync(s => s.SetProperty(m => m.EnqueuedAt, now), cancellationToken);
        foreach (var id in stranded)
        {
            MailQueue.Enqueue(jobs, id);
        }
    }
}
