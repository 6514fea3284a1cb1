using Crm.Identity.Access;
using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Crm.Identity.Seeding;

/// <summary>
/// Migrates the identity schema and makes sure every installation has the built-in roles with their
/// default rights and a root department, demo data or not.
/// </summary>
internal sealed class IdentityDatabase(IdentityDbContext db, RoleManager<CrmRole> roles, AccessRules rules, TimeProvider clock) : IModuleDatabase
{
    public const string RootDepartmentName = "Company";

    public string Module => "identity";

    public int Order => 0;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);

        foreach (var name in BuiltInRoles.All)
        {
            var role = await roles.FindByNameAsync(name);
            if (role is null)
            {
                role = new CrmRole { Id = Guid.CreateVersion7(), Name = name, IsBuiltIn = true };
                await roles.CreateAsync(role);
            }

            var existing = await db.RoleScopes.Where(s => s.RoleId == role.Id && s.EntityKind == EntityKinds.Any)
                .Select(s => s.Action).ToListAsync(cancellationToken);
            foreach (var action in Enum.GetValues<AccessAction>().Except(existing))
            {
                db.RoleScopes.Add(new RoleScope { RoleId = role.Id, EntityKind = EntityKinds.Any, Action = action, Scope = RoleScope.DefaultFor(name) });
            }
        }

        if (!await db.Departments.AnyAsync(cancellationToken))
        {
            db.Departments.Add(new Department { Id = Guid.CreateVersion7(), Name = RootDepartmentName, CreatedAt = clock.GetUtcNow() });
        }

        await db.SaveChangesAsync(cancellationToken);
        rules.ScopesChanged();
        rules.DepartmentsChanged();
    }
}
