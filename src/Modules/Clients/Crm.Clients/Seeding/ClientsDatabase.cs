using Crm.Clients.Data;
using Crm.SharedKernel.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Seeding;

internal sealed class ClientsDatabase(ClientsDbContext db) : IModuleDatabase
{
    public string Module => "clients";

    public int Order => 10;

    public Task InitializeAsync(CancellationToken cancellationToken) => db.Database.MigrateAsync(cancellationToken);
}
