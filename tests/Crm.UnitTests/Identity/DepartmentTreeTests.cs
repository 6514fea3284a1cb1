using Crm.Identity.Areas.Identity.Features.Shared;
using Crm.Identity.Domain;
using Xunit;

namespace Crm.UnitTests.Identity;

public sealed class DepartmentTreeTests
{
    private static readonly Department Company = new() { Id = Guid.NewGuid(), Name = "Company" };
    private static readonly Department Sales = new() { Id = Guid.NewGuid(), Name = "Sales", ParentId = Company.Id };
    private static readonly Department Regions = new() { Id = Guid.NewGuid(), Name = "Regions", ParentId = Sales.Id };
    private static readonly Department Siberia = new() { Id = Guid.NewGuid(), Name = "Siberia", ParentId = Regions.Id };
    private static readonly Department Accounting = new() { Id = Guid.NewGuid(), Name = "Accounting", ParentId = Company.Id };
    private static readonly Department[] All = [Siberia, Accounting, Company, Regions, Sales];

    [Fact]
    public void A_department_reaches_itself_and_everything_below_it()
    {
        Assert.Equal(new HashSet<Guid> { Sales.Id, Regions.Id, Siberia.Id }, Department.SelfAndDescendants(Sales.Id, All));
        Assert.Equal(new HashSet<Guid> { Siberia.Id }, Department.SelfAndDescendants(Siberia.Id, All));
        Assert.Equal(5, Department.SelfAndDescendants(Company.Id, All).Count);
    }

    [Fact]
    public void Moving_a_department_under_its_own_descendant_or_itself_is_a_cycle()
    {
        Assert.True(Sales.WouldCreateCycle(Siberia.Id, All));
        Assert.True(Sales.WouldCreateCycle(Sales.Id, All));
        Assert.False(Sales.WouldCreateCycle(Accounting.Id, All));
        Assert.False(Sales.WouldCreateCycle(null, All));
    }

    [Fact]
    public void The_tree_lists_parents_before_children_and_siblings_by_name()
    {
        var rows = DepartmentTree.Flatten(All).Select(r => (r.Department.Name, r.Depth)).ToList();

        Assert.Equal([("Company", 0), ("Accounting", 1), ("Sales", 1), ("Regions", 2), ("Siberia", 3)], rows);
    }

    [Fact]
    public void A_department_whose_parent_is_gone_is_shown_at_the_top_instead_of_disappearing()
    {
        var orphan = new Department { Id = Guid.NewGuid(), Name = "Orphan", ParentId = Guid.NewGuid() };

        Assert.Contains(DepartmentTree.Flatten([Company, orphan]), row => row.Department == orphan && row.Depth == 0);
    }
}
