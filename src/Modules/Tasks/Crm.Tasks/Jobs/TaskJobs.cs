using Crm.SharedKernel.Hosting;
using Crm.Tasks.Notifications;
using Hangfire;

namespace Crm.Tasks.Jobs;

/// <summary>
/// The recurring job "tasks:sweep", every minute: reminders whose time has come, then tasks that became
/// overdue. Thin: the work and its at-most-once guarantee are in <see cref="TaskReminders"/>.
/// </summary>
internal sealed class TaskJobs(TaskReminders reminders, IBackgroundJobClient jobs)
{
    public const string SweepId = "tasks:sweep";

    [AutomaticRetry(Attempts = 3)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        // A full batch means more may be waiting (10 000 reminders in one minute): go on until a short one.
        while (await reminders.SendRemindersAsync(cancellationToken) >= TaskReminders.Batch)
        {
        }

        var overdue = 0;
        int marked;
        do
        {
            marked = await reminders.SendOverdueAsync(cancellationToken);
            overdue += marked;
        }
        while (marked >= TaskReminders.Batch);

        // The overdue tasks' triggers were written with their marks: hand them over now, not at the next minute.
        if (overdue > 0)
        {
            jobs.Enqueue<TaskOutboxDrain>(drain => drain.DrainAsync(CancellationToken.None));
        }
    }

    public static void Register(IRecurringJobManager recurring)
    {
        recurring.Ensure<TaskJobs>(SweepId, jobs => jobs.SweepAsync(CancellationToken.None), Cron.Minutely());
        // Catches what a crash left between a sweep and its drain.
        recurring.Ensure<TaskOutboxDrain>(TaskOutboxDrain.JobId, drain => drain.DrainAsync(CancellationToken.None), Cron.Minutely());
    }
}
