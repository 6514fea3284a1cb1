using Crm.Identity.Access;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Xunit;

namespace Crm.UnitTests.Identity;

public sealed class AccessRulesTests
{
    private static readonly Guid Manager = Guid.NewGuid();
    private static readonly Guid Head = Guid.NewGuid();

    private static readonly Dictionary<(Guid, string, AccessAction), AccessScope> Scopes = new()
    {
        [(Manager, EntityKinds.Any, AccessAction.View)] = AccessScope.Own,
        [(Manager, EntityKinds.Deal, AccessAction.View)] = AccessScope.Department,
        [(Manager, EntityKinds.Any, AccessAction.Export)] = AccessScope.Own,
        [(Manager, EntityKinds.Company, AccessAction.Export)] = AccessScope.None,
        [(Head, EntityKinds.Any, AccessAction.View)] = AccessScope.Department,
    };

    [Fact]
    public void A_row_for_the_kind_wins_over_the_roles_default_row()
    {
        Assert.Equal(AccessScope.Department, AccessPolicy.Resolve(Scopes, [Manager], EntityKinds.Deal, AccessAction.View));
        Assert.Equal(AccessScope.Own, AccessPolicy.Resolve(Scopes, [Manager], EntityKinds.Lead, AccessAction.View));
        Assert.Equal(AccessScope.None, AccessPolicy.Resolve(Scopes, [Manager], EntityKinds.Company, AccessAction.Export));
    }

    [Fact]
    public void With_several_roles_the_widest_scope_applies()
    {
        Assert.Equal(AccessScope.Department, AccessPolicy.Resolve(Scopes, [Manager, Head], EntityKinds.Lead, AccessAction.View));
    }

    [Fact]
    public void No_row_means_no_access()
    {
        Assert.Equal(AccessScope.None, AccessPolicy.Resolve(Scopes, [Head], EntityKinds.Lead, AccessAction.Delete));
        Assert.Equal(AccessScope.None, AccessPolicy.Resolve(Scopes, [], EntityKinds.Lead, AccessAction.View));
    }

    [Theory]
    [InlineData(BuiltInRoles.Admin, AccessScope.All)]
    [InlineData(BuiltInRoles.SalesHead, AccessScope.Department)]
    [InlineData(BuiltInRoles.Manager, AccessScope.Own)]
    [InlineData("Intern", AccessScope.None)]
    public void Built_in_roles_default_to_all_department_and_own(string role, AccessScope expected) =>
        Assert.Equal(expected, RoleScope.DefaultFor(role));

    [Fact]
    public void A_filter_allows_records_by_owner_and_department_as_its_scope_says()
    {
        var me = Guid.NewGuid();
        var myDepartment = Guid.NewGuid();
        var otherDepartment = Guid.NewGuid();
        var someoneElse = Guid.NewGuid();

        var own = new AccessFilter(AccessScope.Own, me, []);
        var department = new AccessFilter(AccessScope.Department, me, [myDepartment]);
        var all = new AccessFilter(AccessScope.All, me, []);
        var none = AccessFilter.Denied(me);

        Assert.True(own.Allows(me, otherDepartment));
        Assert.False(own.Allows(someoneElse, myDepartment));
        Assert.True(department.Allows(someoneElse, myDepartment));
        Assert.True(department.Allows(me, otherDepartment));
        Assert.False(department.Allows(someoneElse, otherDepartment));
        Assert.False(department.Allows(someoneElse, null));
        Assert.True(all.Allows(someoneElse, null));
        Assert.False(none.Allows(me, myDepartment));
    }
}
