using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Crm.Mail.Data;

/// <summary>Lets <c>dotnet ef</c> build the context without starting the app; it never connects.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MailDbContext>
{
    public MailDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<MailDbContext>();
        MailModule.ConfigureDbContext(options, "Host=localhost;Database=design_time");
        return new MailDbContext(options.Options);
    }
}
