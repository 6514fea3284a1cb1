using Crm.Identity.Access;
using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Crm.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Identity;

/// <summary>The scope answers every module will rely on, for each built-in role, from the real tables.</summary>
public sealed class AccessPolicyTests(CrmApp app) : IClassFixture<CrmApp>
{
    // A kind no built-in test above iterates, so the stored rule cannot leak into them.
    private const string Invoice = "invoice";

    [Theory]
    [InlineData(CrmApp.Anna, AccessScope.Own)]
    [InlineData(CrmApp.Ivan, AccessScope.Own)]
    [InlineData(CrmApp.Head, AccessScope.Department)]
    [InlineData(CrmApp.Admin, AccessScope.All)]
    public async Task Built_in_roles_get_their_default_scope_for_every_kind_and_action(string email, AccessScope expected)
    {
        foreach (var kind in new[] { EntityKinds.Lead, EntityKinds.Company, EntityKinds.Contact, EntityKinds.Deal, EntityKinds.Task })
        {
            foreach (var action in Enum.GetValues<AccessAction>())
            {
                Assert.Equal(expected, await AsUserAsync(email, policy => policy.GetScopeAsync(kind, action)));
            }
        }
    }

    [Fact]
    public async Task A_department_scope_reaches_the_sub_departments_but_not_the_parent()
    {
        var (sales, headOffice) = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<IdentityDbContext>();
            var salesDepartment = await db.Departments.SingleAsync(d => d.Name == "Отдел продаж");
            var region = new Department { Id = Guid.CreateVersion7(), Name = "Региональные продажи", ParentId = salesDepartment.Id };
            db.Departments.Add(region);
            db.Departments.Add(new Department { Id = Guid.CreateVersion7(), Name = "Сибирь", ParentId = region.Id });
            await db.SaveChangesAsync();
            services.GetRequiredService<AccessRules>().DepartmentsChanged();
            return (salesDepartment.Id, salesDepartment.ParentId!.Value);
        });

        var filter = await AsUserAsync(CrmApp.Head, policy => policy.GetFilterAsync(EntityKinds.Deal, AccessAction.View));

        Assert.Equal(AccessScope.Department, filter.Scope);
        Assert.Equal(3, filter.DepartmentIds.Count);
        Assert.Contains(sales, filter.DepartmentIds);
        Assert.DoesNotContain(headOffice, filter.DepartmentIds);
        Assert.True(filter.Allows(Guid.NewGuid(), sales));
        Assert.False(filter.Allows(Guid.NewGuid(), headOffice));
    }

    [Fact]
    public async Task A_stored_rule_for_one_kind_overrides_the_roles_default_for_that_kind_only()
    {
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<IdentityDbContext>();
            var manager = await db.Roles.SingleAsync(r => r.Name == BuiltInRoles.Manager);
            db.RoleScopes.Add(new RoleScope { RoleId = manager.Id, EntityKind = Invoice, Action = AccessAction.Export, Scope = AccessScope.None });
            await db.SaveChangesAsync();
            services.GetRequiredService<AccessRules>().ScopesChanged();
        });

        Assert.Equal(AccessScope.None, await AsUserAsync(CrmApp.Ivan, p => p.GetScopeAsync(Invoice, AccessAction.Export)));
        Assert.Equal(AccessScope.Own, await AsUserAsync(CrmApp.Ivan, p => p.GetScopeAsync(Invoice, AccessAction.View)));
        Assert.Equal(AccessScope.Own, await AsUserAsync(CrmApp.Ivan, p => p.GetScopeAsync(EntityKinds.Deal, AccessAction.Export)));
        Assert.Equal(AccessScope.Department, await AsUserAsync(CrmApp.Head, p => p.GetScopeAsync(Invoice, AccessAction.Export)));
    }

    [Fact]
    public async Task Nobody_signed_in_has_no_access()
    {
        var scope = await app.WithScopeAsync(services =>
        {
            services.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext();
            return services.GetRequiredService<IAccessPolicy>().GetScopeAsync(EntityKinds.Lead, AccessAction.View);
        });

        Assert.Equal(AccessScope.None, scope);
    }

    private Task<T> AsUserAsync<T>(string email, Func<IAccessPolicy, Task<T>> ask) =>
        app.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<CrmUser>>();
            var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException(email);
            var principal = await services.GetRequiredService<SignInManager<CrmUser>>().CreateUserPrincipalAsync(user);
            services.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { User = principal, RequestServices = services };
            return await ask(services.GetRequiredService<IAccessPolicy>());
        });
}
