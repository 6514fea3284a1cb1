using Crm.SharedKernel.Hosting;
using Crm.Mail.Sending;
using Hangfire;

namespace Crm.Mail.Jobs;

/// <summary>
/// The module's Hangfire jobs, thin: "mail:send" loads one mail by id and sends it (<see cref="MailDelivery"/>
/// holds the at-most-once claim); "mail:sweep", every minute, re-enqueues stranded mail and fails mail
/// whose sending job died (<see cref="MailSweep"/>).
/// </summary>
internal sealed class MailJobs(MailDelivery delivery, MailSweep sweep)
{
    public const string SendName = "mail:send";
    public const string SweepId = "mail:sweep";

    /// <summary>
    /// A failed send throws, so Hangfire retries it with back-off (1, 5, 30 minutes): a server that was down
    /// for a while still gets the mail. After that the job is dropped (the mail row, Failed with its error,
    /// is the record people see and retry from), not kept in Hangfire's failed list as a second truth.
    /// </summary>
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [60, 300, 1800], OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [JobDisplayName(SendName + " {0}")]
    public async Task SendAsync(Guid mailId, CancellationToken cancellationToken)
    {
        if (await delivery.SendAsync(mailId, cancellationToken) == DeliveryOutcome.Failed)
        {
            throw new InvalidOperationException($"Mail {mailId} was not sent; its error is kept with the mail. Hangfire retries it.");
        }
    }

    /// <summary>
    /// Two sweeps at once are harmless (a mail queued twice is sent once: <see cref="MailDelivery"/> claims it), so no
    /// Hangfire lock, which a killed process would leave behind.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    public Task SweepAsync(CancellationToken cancellationToken) => sweep.RunAsync(cancellationToken);

    public static void Register(IRecurringJobManager recurring) =>
        recurring.Ensure<MailJobs>(SweepId, jobs => jobs.SweepAsync(CancellationToken.None), Cron.Minutely());
}
