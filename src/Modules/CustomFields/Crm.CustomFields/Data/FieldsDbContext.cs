using Crm.CustomFields.Domain;
using Microsoft.EntityFrameworkCore;

namespace Crm.CustomFields.Data;

/// <summary>
/// The custom field definitions, schema "fields". Values are not here: each module keeps them in a
/// jsonb column of its own records, so its lists filter and sort them without a cross-schema join.
/// Migrations: dotnet ef migrations add NAME --project src/Modules/CustomFields/Crm.CustomFields
///             --startup-project src/Crm.Web --context FieldsDbContext --output-dir Data/Migrations
/// </summary>
internal sealed class FieldsDbContext(DbContextOptions<FieldsDbContext> options) : DbContext(options)
{
    public const string Schema = "fields";

    public DbSet<FieldDefinition> Definitions => Set<FieldDefinition>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.HasDefaultSchema(Schema);
        builder.Entity<FieldDefinition>(field =>
        {
            field.ToTable("definitions");
            field.Property(f => f.EntityKind).HasMaxLength(32);
            field.Property(f => f.Scope).HasMaxLength(64);
            field.Property(f => f.Key).HasMaxLength(64);
            field.Property(f => f.Label).HasMaxLength(100);
            field.Property(f => f.Type).HasConversion<string>().HasMaxLength(16);
            field.Property(f => f.Options).HasColumnType("text[]");
            field.HasIndex(f => new { f.EntityKind, f.Key }).IsUnique();
        });
    }
}
