using System.Text.RegularExpressions;
using Crm.Clients.Contracts;
using Crm.Testing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Clients;

/// <summary>A module that is not Clients (here: the test's own) adds a panel to company cards through the slot.</summary>
public sealed class AppWithCardPanel : CrmApp
{
    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(new ClientCardPanel("TestDeals", 10, ClientKind.Company));
        services.AddControllersWithViews().AddApplicationPart(typeof(TestDealsViewComponent).Assembly);
    }
}

public sealed class TestDealsViewComponent : ViewComponent
{
    public IViewComponentResult Invoke(ClientCardSlot slot) => Content($"deals of {slot.Kind} {slot.Id}");
}

public sealed class CardPanelTests(AppWithCardPanel app) : IClassFixture<AppWithCardPanel>
{
    [Fact]
    public async Task A_registered_panel_shows_on_the_cards_of_its_kind_only()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var companies = await anna.GetStringAsync("/companies");
        var company = Regex.Match(companies, "href=\"/companies/([0-9a-f-]{36})\"").Groups[1].Value;
        var contacts = await anna.GetStringAsync("/contacts");
        var contact = Regex.Match(contacts, "href=\"/contacts/([0-9a-f-]{36})\"").Groups[1].Value;

        Assert.Contains($"deals of Company {company}", await anna.GetStringAsync($"/companies/{company}"), StringComparison.Ordinal);
        Assert.DoesNotContain("deals of", await anna.GetStringAsync($"/contacts/{contact}"), StringComparison.Ordinal);
    }
}
