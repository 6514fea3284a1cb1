using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Testing;
using Xunit;

namespace Crm.IntegrationTests.Clients;

/// <summary>The app with its Hangfire server on: the import API's job runs as it does in production.</summary>
public sealed class AppWithJobs : CrmApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Crm:Jobs:RunServer"] = "true" };
}

/// <summary>
/// Hangfire keeps its storage in a process-wide static (JobStorage.Current) that every app's
/// configuration sets; with other apps starting in parallel, a job could be enqueued into another test
/// class's database, where no server runs. So the classes with a Hangfire server run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HangfireCollection
{
    public const string Name = "Hangfire server";
}

[Collection(HangfireCollection.Name)]
public sealed class ImportsApiTests(AppWithJobs app) : IClassFixture<AppWithJobs>
{
    [Fact]
    public async Task An_integrator_imports_a_file_without_a_mapping_and_follows_it_to_the_counts()
    {
        var anna = await app.ApiClientAsync(CrmApp.Anna);
        var csv = ImportFiles.Csv("Full name,E-mail,Phone\r\nApi Import One,api-one@import.test,+7 916 700-00-01\r\nApi Import Two,api-two@import.test,not a phone\r\n,,\r\nApi Import One again,API-ONE@import.test,\r\n", "utf-8");

        var response = await anna.PostAsync("/api/v1/imports", Form(csv, "contacts.csv", ("entity", "contacts"), ("duplicates", "skip"), ("key", "email")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/imports/{id}", response.Headers.Location!.OriginalString);
        var status = await WaitAsync(anna, id);
        Assert.Equal("done", status.GetProperty("status").GetString());
        Assert.Equal(
            (3, 1, 0, 1, 1),
            (status.GetProperty("total").GetInt32(), status.GetProperty("imported").GetInt32(), status.GetProperty("updated").GetInt32(),
                status.GetProperty("skipped").GetInt32(), status.GetProperty("rejected").GetInt32()));

        var rejected = await anna.GetAsync($"/api/v1/imports/{id}/rejected");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Contains("not a phone", await ImportTests.SheetXmlAsync(rejected), StringComparison.Ordinal);

        // Another manager learns nothing about it.
        var ivan = await app.ApiClientAsync(CrmApp.Ivan);
        Assert.Equal(HttpStatusCode.NotFound, (await ivan.GetAsync($"/api/v1/imports/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ivan.GetAsync($"/api/v1/imports/{id}/rejected")).StatusCode);
    }

    [Fact]
    public async Task A_mapping_names_the_columns_by_their_headings()
    {
        var anna = await app.ApiClientAsync(CrmApp.Anna);
        var csv = ImportFiles.Csv("Организация;Контактный телефон;Прочее\r\nApi Mapped LLC;+7 495 700-00-09;x\r\n", "utf-8");

        var response = await anna.PostAsync("/api/v1/imports", Form(csv, "companies.csv", ("entity", "companies"), ("key", "phone"),
            ("mapping", """{"Организация": "name", "Контактный телефон": "phones"}""")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var status = await WaitAsync(anna, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Equal(1, status.GetProperty("imported").GetInt32());
    }

    [Theory]
    [InlineData("deals", null, "entity")]
    [InlineData("companies", """{"Name": "nonsense"}""", "mapping")]
    [InlineData("companies", """{"No such column": "name"}""", "mapping")]
    [InlineData("companies", "not json", "mapping")]
    public async Task A_wrong_request_gets_a_problem_naming_the_field(string entity, string? mapping, string field)
    {
        var anna = await app.ApiClientAsync(CrmApp.Anna);
        var csv = ImportFiles.Csv("Name\r\nX\r\n", "utf-8");
        var fields = mapping is null ? new[] { ("entity", entity) } : [("entity", entity), ("mapping", mapping)];

        var response = await anna.PostAsync("/api/v1/imports", Form(csv, "x.csv", fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_damaged_file_is_refused_with_the_reason()
    {
        var anna = await app.ApiClientAsync(CrmApp.Anna);
        var response = await anna.PostAsync("/api/v1/imports", Form(ImportFiles.ZipBomb(30), "bomb.xlsx", ("entity", "companies")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("zip bomb", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static MultipartFormDataContent Form(byte[] file, string fileName, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "file", fileName);
        return form;
    }

    private static async Task<JsonElement> WaitAsync(HttpClient client, Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}");
            if (status.GetProperty("status").GetString() is "done" or "failed" || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(200);
        }
    }
}
