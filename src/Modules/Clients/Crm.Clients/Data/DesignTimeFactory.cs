using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Crm.Clients.Data;

/// <summary>Lets <c>dotnet ef</c> build the context without starting the app; it never connects.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ClientsDbContext>
{
    public ClientsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ClientsDbContext>();
        ClientsModule.ConfigureDbContext(options, "Host=localhost;Database=design_time");
        return new ClientsDbContext(options.Options);
    }
}
