using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Jobs;
using Crm.SharedKernel.Events;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Clients;

/// <summary>
/// The app with handlers a module like Deals would register: one that may be told to fail, then one that
/// records every event and what a separate connection sees of the renamed records when it is told.
/// </summary>
public sealed class AppWithEventRecorder : CrmApp
{
    public EventRecorder Recorder { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(Recorder);
        // Registered first: a failing handler must not keep the ones after it from running.
        services.AddScoped<IIntegrationEventHandler<ClientsRenamed>, FailingRenameHandler>();
        services.AddScoped<IIntegrationEventHandler<ClientsRenamed>, RecordingHandler<ClientsRenamed>>();
        services.AddScoped<IIntegrationEventHandler<ClientMerged>, RecordingHandler<ClientMerged>>();
        services.AddScoped<IIntegrationEventHandler<LeadConverted>, RecordingHandler<LeadConverted>>();
    }
}

public sealed class EventRecorder
{
    private readonly ConcurrentQueue<object> _events = new();

    /// <summary>Record id → its name as another connection read it while the rename was being handled.</summary>
    public ConcurrentDictionary<Guid, string?> CommittedNames { get; } = new();

    public bool FailRenames { get; set; }

    public void Add(object e) => _events.Enqueue(e);

    public IReadOnlyList<T> Of<T>() => _events.OfType<T>().ToList();

    public IReadOnlyList<ClientsRenamed> RenamesOf(params Guid[] ids) =>
        Of<ClientsRenamed>().Where(e => e.Clients.Any(c => ids.Contains(c.Id))).ToList();
}

internal sealed class FailingRenameHandler(EventRecorder recorder) : IIntegrationEventHandler<ClientsRenamed>
{
    public Task HandleAsync(ClientsRenamed e, CancellationToken ct) =>
        recorder.FailRenames ? throw new InvalidOperationException("The copy's table is gone.") : Task.CompletedTask;
}

internal sealed class RecordingHandler<TEvent>(EventRecorder recorder, IServiceScopeFactory scopes) : IIntegrationEventHandler<TEvent>
    where TEvent : notnull
{
    public async Task HandleAsync(TEvent e, CancellationToken ct)
    {
        recorder.Add(e);
        if (e is ClientsRenamed renamed)
        {
            // A scope of its own is a connection of its own: it sees the rename only if it is committed.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClientsDbContext>();
            foreach (var client in renamed.Clients)
            {
                recorder.CommittedNames[client.Id] = renamed.Kind switch
                {
                    ClientKind.Company => await db.Companies.Where(c => c.Id == client.Id).Select(c => c.Name).SingleOrDefaultAsync(ct),
                    ClientKind.Contact => await db.Contacts.Where(c => c.Id == client.Id).Select(c => c.FullName).SingleOrDefaultAsync(ct),
                    _ => await db.Leads.Where(l => l.Id == client.Id).Select(l => l.Name).SingleOrDefaultAsync(ct),
                };
            }
        }
    }
}

public sealed partial class ClientEventsTests(AppWithEventRecorder app) : IClassFixture<AppWithEventRecorder>
{
    private EventRecorder Recorder => app.Recorder;

    [Fact]
    public async Task Renaming_a_company_on_its_page_tells_the_new_name_after_the_save_is_committed()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var id = await CreateCompanyAsync(anna, "ООО «Событие До»");

        var response = await EditCompanyAsync(anna, id, "ООО «Событие После»");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var renamed = Assert.Single(Recorder.RenamesOf(id));
        Assert.Equal(ClientKind.Company, renamed.Kind);
        Assert.Equal([new RenamedClient(id, "ООО «Событие После»")], renamed.Clients);
        Assert.Equal("ООО «Событие После»", Recorder.CommittedNames[id]);
    }

    [Fact]
    public async Task Renaming_a_contact_through_the_api_tells_the_new_name()
    {
        var api = await app.ApiClientAsync(CrmApp.Anna);
        var id = await CreateThroughApiAsync(api, "contacts", new { fullName = "Событие Апи Старое" });

        var patched = await api.PatchAsJsonAsync($"/api/v1/contacts/{id}", new { fullName = "Событие Апи Новое" });

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var renamed = Assert.Single(Recorder.RenamesOf(id));
        Assert.Equal(ClientKind.Contact, renamed.Kind);
        Assert.Equal([new RenamedClient(id, "Событие Апи Новое")], renamed.Clients);
        Assert.Equal("Событие Апи Новое", Recorder.CommittedNames[id]);
    }

    [Fact]
    public async Task A_save_that_keeps_the_name_or_fails_tells_nothing()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var company = await CreateCompanyAsync(anna, "ООО «Событие Без Имени»");
        var api = await app.ApiClientAsync(CrmApp.Anna);
        var lead = await CreateThroughApiAsync(api, "leads", new { name = "Событие Лид Без Имени" });

        Assert.Equal(HttpStatusCode.Redirect, (await EditCompanyAsync(anna, company, "ООО «Событие Без Имени»", ("Form.Industry", "Логистика"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PatchAsJsonAsync($"/api/v1/leads/{lead}", new { companyName = "ООО «Другая»" })).StatusCode);
        // A stale version: the save fails on the page and in the API, so a new name must not be told either.
        Assert.Equal(HttpStatusCode.OK, (await EditCompanyAsync(anna, company, "ООО «Событие Не Сохранено»", ("Form.Version", "1"))).StatusCode);
        var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/leads/{lead}") { Content = JsonContent.Create(new { name = "Событие Лид Не Сохранён" }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        Assert.Equal(HttpStatusCode.Conflict, (await api.SendAsync(stale)).StatusCode);

        Assert.Empty(Recorder.RenamesOf(company, lead));
    }

    [Fact]
    public async Task A_merge_tells_the_removed_id_the_survivor_and_its_name_after_the_merge()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var kept = await CreateCompanyAsync(anna, "ООО «Событие Остаётся»");
        var gone = await CreateCompanyAsync(anna, "ООО «Событие Уходит»");
        var page = await anna.GetStringAsync($"/companies/{kept}/merge?with={gone}");

        var response = await anna.PostAsync($"/companies/{kept}/merge?with={gone}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = CrmApp.AntiforgeryToken(page),
            ["Survivor"] = kept.ToString(),
            ["Version"] = VersionField().Match(page).Groups[1].Value,
            ["OtherVersion"] = OtherVersionField().Match(page).Groups[1].Value,
            // The survivor takes the removed record's name: the event carries the name after the merge.
            ["Take[Name]"] = gone.ToString(),
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var merged = Assert.Single(Recorder.Of<ClientMerged>(), e => e.RemovedId == gone);
        Assert.Equal(new ClientMerged(ClientKind.Company, gone, kept, "ООО «Событие Уходит»"), merged);
        // The merge is told by its own event alone.
        Assert.Empty(Recorder.RenamesOf(kept, gone));
    }

    [Fact]
    public async Task Converting_a_lead_tells_the_contact_and_company_it_became()
    {
        var api = await app.ApiClientAsync(CrmApp.Anna);
        var lead = await CreateThroughApiAsync(api, "leads", new { name = "Событие Конверсия", companyName = " ООО «Событие Конверсия» " });

        var converted = await api.PostAsJsonAsync($"/api/v1/leads/{lead}/convert", new { createCompany = true });

        Assert.Equal(HttpStatusCode.OK, converted.StatusCode);
        var result = await converted.Content.ReadFromJsonAsync<JsonElement>();
        var contact = result.GetProperty("contactId").GetGuid();
        var company = result.GetProperty("companyId").GetGuid();
        var told = Assert.Single(Recorder.Of<LeadConverted>(), e => e.LeadId == lead);
        Assert.Equal(new LeadConverted(lead, contact, "Событие Конверсия", company, "ООО «Событие Конверсия»"), told);
    }

    [Fact]
    public async Task An_import_update_tells_the_renamed_records_of_a_batch_in_one_event()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var first = ImportFiles.Xlsx(
        [
            ["Название", "Электронная почта", "Отрасль"],
            ["Импорт Событие Один", "one@events.test", ""],
            ["Импорт Событие Два", "two@events.test", ""],
            ["Импорт Событие Три", "three@events.test", ""],
        ]);
        var seed = await ImportTests.UploadAsync(anna, "companies", "first.xlsx", first);
        await ImportTests.StartAsync(anna, seed, ["name", "emails", "industry"], "Skip", "Email");
        await RunImportAsync(seed);
        var ids = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Companies
            .Where(c => c.Name.StartsWith("Импорт Событие ")).ToDictionaryAsync(c => c.Name, c => c.Id));
        Assert.Equal(3, ids.Count);

        var second = ImportFiles.Xlsx(
        [
            ["Название", "Электронная почта", "Отрасль"],
            ["Импорт Событие Один (новое имя)", "one@events.test", "Ритейл"],
            ["Импорт Событие Два", "two@events.test", "Ритейл"],
            ["Импорт Событие Три (новое имя)", "three@events.test", ""],
        ]);
        var update = await ImportTests.UploadAsync(anna, "companies", "second.xlsx", second);
        await ImportTests.StartAsync(anna, update, ["name", "emails", "industry"], "Update", "Email");
        await RunImportAsync(update);

        // Inserts are no renames; the update batch is one event with only the records whose name changed.
        var renamed = Assert.Single(Recorder.RenamesOf([.. ids.Values]));
        Assert.Equal(ClientKind.Company, renamed.Kind);
        Assert.Equal(
            [new RenamedClient(ids["Импорт Событие Один"], "Импорт Событие Один (новое имя)"), new RenamedClient(ids["Импорт Событие Три"], "Импорт Событие Три (новое имя)")],
            renamed.Clients.OrderBy(c => c.Name, StringComparer.Ordinal));
        Assert.Equal("Импорт Событие Три (новое имя)", Recorder.CommittedNames[ids["Импорт Событие Три"]]);
    }

    [Fact]
    public async Task A_failing_handler_neither_fails_the_edit_nor_stops_the_other_handlers()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var created = await CrmApp.PostFormAsync(anna, "/contacts/new", "/contacts/new", new Dictionary<string, string>
        {
            ["Form.FullName"] = "Событие Сбой До", ["Form.IgnoreDuplicates"] = "true",
        });
        var id = Guid.Parse(created.Headers.Location!.OriginalString.Split('/').Last());

        HttpResponseMessage response;
        Recorder.FailRenames = true;
        try
        {
            response = await CrmApp.PostFormAsync(anna, $"/contacts/{id}/edit", $"/contacts/{id}/edit", new Dictionary<string, string>
            {
                ["Form.FullName"] = "Событие Сбой После", ["Form.IgnoreDuplicates"] = "true",
            });
        }
        finally
        {
            Recorder.FailRenames = false;
        }

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/contacts/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("Событие Сбой После", await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Contacts.Where(c => c.Id == id).Select(c => c.FullName).SingleAsync()));
        Assert.Equal([new RenamedClient(id, "Событие Сбой После")], Assert.Single(Recorder.RenamesOf(id)).Clients);
    }

    private static async Task<Guid> CreateCompanyAsync(HttpClient client, string name)
    {
        var created = await CrmApp.PostFormAsync(client, "/companies/new", "/companies/new", new Dictionary<string, string>
        {
            ["Form.Name"] = name, ["Form.Type"] = "Client", ["Form.IgnoreDuplicates"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        return Guid.Parse(created.Headers.Location!.OriginalString.Split('/').Last());
    }

    private static Task<HttpResponseMessage> EditCompanyAsync(HttpClient client, Guid id, string name, params (string Name, string Value)[] fields)
    {
        var form = new Dictionary<string, string> { ["Form.Name"] = name, ["Form.Type"] = "Client", ["Form.IgnoreDuplicates"] = "true" };
        foreach (var (key, value) in fields)
        {
            form[key] = value;
        }

        return CrmApp.PostFormAsync(client, $"/companies/{id}/edit", $"/companies/{id}/edit", form);
    }

    private static async Task<Guid> CreateThroughApiAsync(HttpClient api, string path, object body)
    {
        var created = await api.PostAsJsonAsync($"/api/v1/{path}", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>The job Hangfire would run (its server is off in these tests).</summary>
    private Task RunImportAsync(Guid id) => app.WithScopeAsync(s => s.GetRequiredService<ImportJob>().RunAsync(id, CancellationToken.None));

    [GeneratedRegex("name=\"Version\" value=\"([0-9]+)\"")]
    private static partial Regex VersionField();

    [GeneratedRegex("name=\"OtherVersion\" value=\"([0-9]+)\"")]
    private static partial Regex OtherVersionField();
}
