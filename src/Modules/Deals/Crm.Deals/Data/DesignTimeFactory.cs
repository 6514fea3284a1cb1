using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Crm.Deals.Data;

/// <summary>Lets <c>dotnet ef</c> build the context without starting the app; it never connects.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<DealsDbContext>
{
    public DealsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<DealsDbContext>();
        DealsModule.ConfigureDbContext(options, "Host=localhost;Database=design_time");
        return new DealsDbContext(options.Options);
    }
}
