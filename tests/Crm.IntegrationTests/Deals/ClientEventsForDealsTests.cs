using System.Net;
using System.Text.RegularExpressions;
using Crm.Clients.Contracts;
using Crm.Deals.Data;
using Crm.SharedKernel.Events;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Deals;

/// <summary>The client names deals keep beside the client ids follow the Clients module's events.</summary>
public sealed partial class ClientEventsForDealsTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Renaming_a_company_on_its_page_renames_it_on_its_deals()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var company = await CreateCompanyAsync(anna, "ООО «До переименования " + Guid.NewGuid().ToString("N")[..6] + "»");
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => (d.CompanyId, d.CompanyName) = (company, "старое имя"));
        var newName = "ООО «После переименования " + Guid.NewGuid().ToString("N")[..6] + "»";

        var fields = await CompanyFieldsAsync(anna, $"/companies/{company}/edit");
        fields["Form.Name"] = newName;
        fields["Form.IgnoreDuplicates"] = "true";
        var saved = await CrmApp.PostFormAsync(anna, $"/companies/{company}/edit", $"/companies/{company}/edit", fields);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(newName, (await DealsData.ReloadAsync(app, deal.Id)).CompanyName);
    }

    [Fact]
    public async Task A_batch_rename_sets_each_deals_own_name_and_the_same_event_twice_changes_nothing_more()
    {
        Guid first = Guid.NewGuid(), second = Guid.NewGuid(), contact = Guid.NewGuid();
        var a = await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => (d.CompanyId, d.CompanyName) = (first, "A"));
        var b = await DealsData.CreateAsync(app, CrmApp.Ivan, configure: d => (d.CompanyId, d.CompanyName) = (second, "B"));
        var c = await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => (d.ContactId, d.ContactName, d.CompanyId, d.CompanyName) = (contact, "Контакт", first, "A"));
        var renamed = new ClientsRenamed(ClientKind.Company, [new RenamedClient(first, "Альфа"), new RenamedClient(second, "Бета")]);

        await PublishAsync(renamed);
        await PublishAsync(renamed);

        Assert.Equal("Альфа", (await DealsData.ReloadAsync(app, a.Id)).CompanyName);
        Assert.Equal("Бета", (await DealsData.ReloadAsync(app, b.Id)).CompanyName);
        var both = await DealsData.ReloadAsync(app, c.Id);
        Assert.Equal("Альфа", both.CompanyName);
        Assert.Equal("Контакт", both.ContactName);

        await PublishAsync(new ClientsRenamed(ClientKind.Contact, [new RenamedClient(contact, "Иван Контактов")]));
        Assert.Equal("Иван Контактов", (await DealsData.ReloadAsync(app, c.Id)).ContactName);
    }

    [Fact]
    public async Task A_merge_repoints_the_removed_clients_deals_to_the_survivor_with_its_name()
    {
        Guid removed = Guid.NewGuid(), survivor = Guid.NewGuid();
        var onRemoved = await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => (d.ContactId, d.ContactName) = (removed, "Дубль"));
        var onSurvivor = await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => (d.ContactId, d.ContactName) = (survivor, "Оригинал"));

        await PublishAsync(new ClientMerged(ClientKind.Contact, removed, survivor, "Оригинал Объединённый"));
        await PublishAsync(new ClientMerged(ClientKind.Contact, removed, survivor, "Оригинал Объединённый"));

        foreach (var id in new[] { onRemoved.Id, onSurvivor.Id })
        {
            var deal = await DealsData.ReloadAsync(app, id);
            Assert.Equal(survivor, deal.ContactId);
            Assert.Equal("Оригинал Объединённый", deal.ContactName);
        }
    }

    [Fact]
    public async Task A_converted_leads_deals_get_its_contact_and_company()
    {
        Guid lead = Guid.NewGuid(), contact = Guid.NewGuid(), company = Guid.NewGuid(), chosen = Guid.NewGuid();
        var plain = await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => (d.LeadId, d.LeadName) = (lead, "Лид"));
        var withCompany = await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => (d.LeadId, d.LeadName, d.CompanyId, d.CompanyName) = (lead, "Лид", chosen, "Выбранная"));

        var converted = new LeadConverted(lead, contact, "Пётр Лидов", company, "ООО «Из лида»");
        await PublishAsync(converted);
        await PublishAsync(converted);

        var first = await DealsData.ReloadAsync(app, plain.Id);
        Assert.Equal((contact, "Пётр Лидов", company, "ООО «Из лида»"), (first.ContactId!.Value, first.ContactName!, first.CompanyId!.Value, first.CompanyName!));
        Assert.Equal(lead, first.LeadId);
        var second = await DealsData.ReloadAsync(app, withCompany.Id);
        Assert.Equal(contact, second.ContactId);
        Assert.Equal(chosen, second.CompanyId);
    }

    private Task PublishAsync<T>(T e) =>
        app.WithScopeAsync(s => s.GetRequiredService<IIntegrationEvents>().PublishAsync(e, CancellationToken.None));

    /// <summary>Creates a company through its page as the signed-in user and answers its id.</summary>
    internal static async Task<Guid> CreateCompanyAsync(HttpClient client, string name)
    {
        var response = await CrmApp.PostFormAsync(client, "/companies/new", "/companies/new", new Dictionary<string, string>
        {
            ["Form.Name"] = name,
            ["Form.Type"] = "Client",
            ["Form.Phones"] = "",
            ["Form.Emails"] = "",
            ["Form.IgnoreDuplicates"] = "true",
        });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException("The company was not created: " + await response.Content.ReadAsStringAsync());
        }

        return Guid.Parse(response.Headers.Location!.OriginalString["/companies/".Length..]);
    }

    private static async Task<Dictionary<string, string>> CompanyFieldsAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        var fields = new Dictionary<string, string>();
        foreach (Match input in InputField().Matches(html))
        {
            fields[input.Groups["name"].Value] = WebUtility.HtmlDecode(input.Groups["value"].Value);
        }

        foreach (Match select in SelectedOption().Matches(html))
        {
            fields[select.Groups["name"].Value] = select.Groups["value"].Value;
        }

        return fields;
    }

    [GeneratedRegex("<input[^>]*name=\"(?<name>Form\\.[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex InputField();

    [GeneratedRegex("<select[^>]*name=\"(?<name>Form\\.[^\"]+)\"[^>]*>(?:(?!</select>)[\\s\\S])*?<option selected=\"selected\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex SelectedOption();
}
