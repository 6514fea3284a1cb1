using Crm.CustomFields.Data;
using Crm.SharedKernel.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Crm.CustomFields.Seeding;

internal sealed class FieldsDatabase(FieldsDbContext db) : IModuleDatabase
{
    public string Module => "fields";

    public int Order => 5;

    public Task InitializeAsync(CancellationToken cancellationToken) => db.Database.MigrateAsync(cancellationToken);
}
