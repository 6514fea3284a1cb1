using Crm.Mail.Data;
using Crm.Mail.Jobs;
using Crm.SharedKernel.Hosting;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Crm.Mail.Seeding;

/// <summary>Migrates the mail schema and registers the every-minute queue sweep.</summary>
internal sealed class MailDatabase(MailDbContext db, IRecurringJobManager recurring) : IModuleDatabase
{
    public string Module => "mail";

    public int Order => 40;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        MailJobs.Register(recurring);
    }
}
