using Crm.Identity.Access;
using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Crm.Identity.Seeding;

/// <summary>
/// The demo company: an admin in the head office, and a sales department with its head and two
/// managers. Later modules give these users their clients, deals and tasks.
/// </summary>
internal sealed class IdentityDemoSeeder(IdentityDbContext db, UserManager<CrmUser> users, AccessRules rules, TimeProvider clock) : IDemoDataSeeder
{
    public const string Password = "Crm-demo-2026";

    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("admin@crm.local", "Алексей Смирнов", BuiltInRoles.Admin, InSales: false),
        new("head@crm.local", "Ольга Кузнецова", BuiltInRoles.SalesHead, InSales: true),
        new("anna@crm.local", "Анна Петрова", BuiltInRoles.Manager, InSales: true),
        new("ivan@crm.local", "Иван Соколов", BuiltInRoles.Manager, InSales: true),
    ];

    public int Order => 0;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == "ADMIN@CRM.LOCAL", cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var headOffice = await db.Departments.FirstAsync(d => d.ParentId == null, cancellationToken);
        headOffice.Name = "Головной офис";
        var sales = new Department { Id = Guid.CreateVersion7(), Name = "Отдел продаж", ParentId = headOffice.Id, CreatedAt = now };
        db.Departments.Add(sales);
        await db.SaveChangesAsync(cancellationToken);

        foreach (var demo in Users)
        {
            var user = new CrmUser
            {
                Id = Guid.CreateVersion7(),
                UserName = demo.Email,
                Email = demo.Email,
                EmailConfirmed = true,
                FullName = demo.FullName,
                DepartmentId = demo.InSales ? sales.Id : headOffice.Id,
                CreatedAt = now,
            };
            Check(await users.CreateAsync(user, Password));
            Check(await users.AddToRoleAsync(user, demo.Role));
            if (demo.Role == BuiltInRoles.SalesHead)
            {
                sales.HeadUserId = user.Id;
            }
            else if (demo.Role == BuiltInRoles.Admin)
            {
                headOffice.HeadUserId = user.Id;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        rules.DepartmentsChanged();
        rules.UsersChanged();
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Demo user not created: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    public sealed record DemoUser(string Email, string FullName, string Role, bool InSales);
}
