using Crm.Tasks.Data;
using Crm.Tasks.Jobs;
using Crm.SharedKernel.Hosting;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tasks.Seeding;

/// <summary>Migrates the tasks schema and registers the every-minute reminder and overdue sweep.</summary>
internal sealed class TasksDatabase(TasksDbContext db, IRecurringJobManager recurring) : IModuleDatabase
{
    public string Module => "tasks";

    public int Order => 30;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        TaskJobs.Register(recurring);
    }
}
