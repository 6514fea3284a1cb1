using System.Net;
using Crm.CustomFields.Contracts;
using Crm.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Deals;

/// <summary>A deal field applies everywhere or to one pipeline, chosen on the custom-fields admin page.</summary>
public sealed class PipelineFieldTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task An_admin_narrows_a_deal_field_to_one_pipeline_and_only_that_pipeline_has_it()
    {
        var goods = await DealsData.PipelineAsync(app, 0);
        var services = await DealsData.PipelineAsync(app, 1);
        var admin = await app.SignInAsync(CrmApp.Admin);

        var form = await admin.GetStringAsync("/admin/fields/new?kind=deal");
        Assert.Contains(goods.Name, form, StringComparison.Ordinal);

        var created = await CrmApp.PostFormAsync(admin, "/admin/fields/new?kind=deal", "/admin/fields/new?kind=deal", new Dictionary<string, string>
        {
            ["Form.Label"] = "Склад отгрузки", ["Form.Key"] = "warehouse", ["Form.Type"] = "Text", ["Form.Order"] = "1", ["Form.Scope"] = goods.Id.ToString(),
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        var wrong = await CrmApp.PostFormAsync(admin, "/admin/fields/new?kind=deal", "/admin/fields/new?kind=deal", new Dictionary<string, string>
        {
            ["Form.Label"] = "Объект", ["Form.Type"] = "Text", ["Form.Order"] = "1", ["Form.Scope"] = Guid.NewGuid().ToString(),
        });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("Выберите из списка, где действует поле.", WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var (inGoods, inServices) = await app.WithScopeAsync(async scope =>
        {
            var fields = scope.GetRequiredService<ICustomFields>();
            return ((await fields.ForAsync("deal", goods.Id.ToString())).Fields, (await fields.ForAsync("deal", services.Id.ToString())).Fields);
        });
        Assert.Contains(inGoods, f => f.Key == "warehouse");
        Assert.DoesNotContain(inServices, f => f.Key == "warehouse");
    }
}
