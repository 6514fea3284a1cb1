using Crm.Clients.Data;
using Crm.Clients.Import;
using Crm.SharedKernel.Access;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Jobs;

/// <summary>
/// The Hangfire job of an import ("clients:import"): loads the import, acts as the user who started it
/// (so the rows meet that user's rights), and hands over to <see cref="ImportRunner"/>. A retry resumes
/// after the last committed batch, so a retried job neither loses nor doubles rows.
/// </summary>
internal sealed class ImportJob(ClientsDbContext db, ImportRunner runner)
{
    // Retried soon after a passing failure (a dropped connection): the run resumes after its last committed batch.
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [2, 10, 60], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("clients:import {0}")]
    public async Task RunAsync(Guid importId, CancellationToken cancellationToken)
    {
        var user = await db.Imports.AsNoTracking().Where(i => i.Id == importId).Select(i => new { i.UserId, i.UserName }).SingleOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return;
        }

        using (ActingUser.As(user.UserId, user.UserName))
        {
            await runner.RunAsync(importId, cancellationToken);
        }
    }

    public static string Enqueue(IBackgroundJobClient jobs, Guid importId) =>
        jobs.Enqueue<ImportJob>(job => job.RunAsync(importId, CancellationToken.None));
}
