using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Crm.CustomFields.Data;

/// <summary>Lets <c>dotnet ef</c> build the context without starting the app; it never connects.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<FieldsDbContext>
{
    public FieldsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<FieldsDbContext>();
        CustomFieldsModule.ConfigureDbContext(options, "Host=localhost;Database=design_time");
        return new FieldsDbContext(options.Options);
    }
}
