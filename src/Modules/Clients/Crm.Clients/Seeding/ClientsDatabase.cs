using Crm.Clients.Data;
using Crm.SharedKernel.Hosting;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Seeding;

internal sealed class ClientsDatabase(ClientsDbContext db, IRecurringJobManager recurring) : IModuleDatabase
{
    public string Module => "clients";

    public int Order => 10;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        // Each lead creation kicks the drain at once; this catches what a crash left between commit and kick.
        recurring.Ensure<Outbox.ClientOutboxDrain>(Outbox.ClientOutboxDrain.JobId, drain => drain.DrainAsync(CancellationToken.None), Cron.Minutely());
    }
}
