using System.Net;
using System.Text.RegularExpressions;
using Crm.Identity.Data;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Identity;

public sealed class DepartmentTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Departments_form_a_tree_with_a_head()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var sales = await DepartmentIdAsync("Отдел продаж");
        var headId = await UserIds.FindAsync(app, CrmApp.Head);

        var created = await CrmApp.PostFormAsync(admin, "/admin/departments/new", "/admin/departments/new", new Dictionary<string, string>
        {
            ["Form.Name"] = "Продажи в регионах",
            ["Form.ParentId"] = sales.ToString(),
            ["Form.HeadUserId"] = headId.ToString(),
        });

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var list = await admin.GetStringAsync("/admin/departments");
        Assert.Matches(new Regex("crm-depth-2\">\\s*<a[^>]*>Продажи в регионах</a>"), list);
        var regional = await app.WithScopeAsync(services => services.GetRequiredService<IdentityDbContext>().Departments.SingleAsync(d => d.Name == "Продажи в регионах"));
        Assert.Equal(sales, regional.ParentId);
        Assert.Equal(headId, regional.HeadUserId);
    }

    [Fact]
    public async Task A_department_cannot_be_moved_under_its_own_sub_department()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var sales = await DepartmentIdAsync("Отдел продаж");
        var headOffice = await DepartmentIdAsync("Головной офис");

        var response = await CrmApp.PostFormAsync(admin, $"/admin/departments/{headOffice}/edit", $"/admin/departments/{headOffice}/edit", new Dictionary<string, string>
        {
            ["Form.Name"] = "Головной офис",
            ["Form.ParentId"] = sales.ToString(),
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Отдел нельзя поместить в самого себя или в свой подотдел.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await app.WithScopeAsync(services => services.GetRequiredService<IdentityDbContext>().Departments.Where(d => d.Id == headOffice).Select(d => d.ParentId).SingleAsync()));
    }

    [Fact]
    public async Task A_department_with_users_is_not_deleted()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var sales = await DepartmentIdAsync("Отдел продаж");

        var response = await CrmApp.PostFormAsync(admin, $"/admin/departments/{sales}/edit", $"/admin/departments/{sales}/delete", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Сначала переведите его сотрудников в другой отдел.", await admin.GetStringAsync(response.Headers.Location!.OriginalString), StringComparison.Ordinal);
        Assert.NotEqual(Guid.Empty, await DepartmentIdAsync("Отдел продаж"));
    }

    [Fact]
    public async Task An_empty_department_is_deleted()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        await CrmApp.PostFormAsync(admin, "/admin/departments/new", "/admin/departments/new", new Dictionary<string, string> { ["Form.Name"] = "Временный" });
        var id = await DepartmentIdAsync("Временный");

        var response = await CrmApp.PostFormAsync(admin, $"/admin/departments/{id}/edit", $"/admin/departments/{id}/delete", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(await app.WithScopeAsync(services => services.GetRequiredService<IdentityDbContext>().Departments.AnyAsync(d => d.Id == id)));
    }

    private Task<Guid> DepartmentIdAsync(string name) =>
        app.WithScopeAsync(services => services.GetRequiredService<IdentityDbContext>().Departments.Where(d => d.Name == name).Select(d => d.Id).SingleOrDefaultAsync());
}
