using System.Linq.Expressions;
using Hangfire;
using Hangfire.Storage;

namespace Crm.SharedKernel.Hosting;

/// <summary>How modules register their recurring Hangfire jobs when the app starts.</summary>
public static class RecurringJobs
{
    /// <summary>
    /// Registers the recurring job unless it is registered already with this method and schedule. Hangfire's
    /// <c>AddOrUpdate</c> takes the job's distributed lock, which its scheduler also takes each time it fires the
    /// job; a process killed at that moment leaves the lock until it expires (ten minutes), and the next start's
    /// <c>AddOrUpdate</c> timed out and the app did not start at all (found by the crash test). A job already
    /// registered as wanted needs no update, so no lock.
    /// </summary>
    public static void Ensure<T>(this IRecurringJobManager recurring, string id, Expression<Func<T, Task>> method, string cron)
    {
        var wanted = Hangfire.Common.Job.FromExpression(method);
        using (var connection = JobStorage.Current.GetConnection())
        {
            var existing = connection.GetRecurringJobs([id]).FirstOrDefault();
            if (existing is { Removed: false, LoadException: null, Job: { } job } && existing.Cron == cron
                && job.Type == wanted.Type && job.Method == wanted.Method)
            {
                return;
            }
        }

        recurring.AddOrUpdate(id, method, cron);
    }
}
