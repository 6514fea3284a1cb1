using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Crm.Automation.Data;

/// <summary>Lets <c>dotnet ef</c> build the context without starting the app; it never connects.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AutomationDbContext>
{
    public AutomationDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AutomationDbContext>();
        AutomationModule.ConfigureDbContext(options, "Host=localhost;Database=design_time");
        return new AutomationDbContext(options.Options);
    }
}
