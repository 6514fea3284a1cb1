using Crm.Automation.Data;
using Crm.Automation.Running;
using Crm.SharedKernel.Hosting;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Crm.Automation.Seeding;

/// <summary>Migrates the automation schema and registers the every-minute pump.</summary>
internal sealed class AutomationDatabase(AutomationDbContext db, IRecurringJobManager recurring) : IModuleDatabase
{
    public string Module => "automation";

    public int Order => 40;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        recurring.Ensure<AutomationPump>(AutomationPump.JobId, pump => pump.PumpAsync(CancellationToken.None), Cron.Minutely());
    }
}
