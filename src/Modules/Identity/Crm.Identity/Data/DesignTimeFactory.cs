using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Crm.Identity.Data;

/// <summary>Lets <c>dotnet ef</c> build the context without starting the app; it never connects.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<IdentityDbContext>
{
    public IdentityDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<IdentityDbContext>();
        IdentityModule.ConfigureDbContext(options, "Host=localhost;Database=design_time");
        return new IdentityDbContext(options.Options);
    }
}
