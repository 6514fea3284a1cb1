using Crm.Identity.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Crm.Identity.Data;

/// <summary>
/// The Identity module's tables, all in schema "identity" with their own migrations history.
/// Migrations: dotnet ef migrations add NAME --project src/Modules/Identity/Crm.Identity
///             --startup-project src/Crm.Web --context IdentityDbContext --output-dir Data/Migrations
/// </summary>
internal sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options)
    : IdentityDbContext<CrmUser, CrmRole, Guid>(options)
{
    public const string Schema = "identity";

    public DbSet<Department> Departments => Set<Department>();

    public DbSet<RoleScope> RoleScopes => Set<RoleScope>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);
        // Trigram indexes let "name or e-mail contains" use an index instead of reading every user.
        builder.HasPostgresExtension("pg_trgm");

        builder.Entity<CrmUser>(user =>
        {
            user.ToTable("users");
            user.Property(u => u.FullName).HasMaxLength(200);
            user.Property(u => u.Culture).HasMaxLength(8);
            user.Property(u => u.TimeZoneId).HasMaxLength(64);
            user.HasIndex(u => u.DepartmentId);
            user.HasIndex(u => new { u.FullName, u.Id });
            user.HasIndex(u => u.FullName, "ix_users_full_name_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            user.HasIndex(u => u.Email, "ix_users_email_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            user.HasOne<Department>().WithMany().HasForeignKey(u => u.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<CrmRole>().ToTable("roles");
        builder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");

        builder.Entity<Department>(department =>
        {
            department.ToTable("departments");
            department.Property(d => d.Name).HasMaxLength(200);
            department.HasOne<Department>().WithMany().HasForeignKey(d => d.ParentId).OnDelete(DeleteBehavior.Restrict);
            department.HasOne<CrmUser>().WithMany().HasForeignKey(d => d.HeadUserId).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<RoleScope>(scope =>
        {
            scope.ToTable("role_scopes");
            scope.HasKey(s => new { s.RoleId, s.EntityKind, s.Action });
            scope.Property(s => s.EntityKind).HasMaxLength(64);
            scope.Property(s => s.Action).HasConversion<string>().HasMaxLength(16);
            scope.Property(s => s.Scope).HasConversion<string>().HasMaxLength(16);
            scope.HasOne<CrmRole>().WithMany().HasForeignKey(s => s.RoleId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ApiToken>(token =>
        {
            token.ToTable("api_tokens");
            token.Property(t => t.Name).HasMaxLength(100);
            token.Property(t => t.TokenHash).HasMaxLength(64);
            token.Property(t => t.Hint).HasMaxLength(16);
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.HasIndex(t => t.UserId);
            token.HasOne<CrmUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
