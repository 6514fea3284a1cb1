using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Testing;

/// <summary>
/// The real app (every module, real PostgreSQL) on the test server, or on Kestrel with a real port for
/// the browser tests. Background job processing is off unless a test asks for it.
/// </summary>
public sealed class CrmAppFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "crm-test-data", Guid.NewGuid().ToString("N"));

    public string ConnectionString { get; } = connectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Crm", ConnectionString);
        builder.UseSetting("Crm:DataDirectory", _dataDirectory);
        builder.UseSetting("Crm:DemoData:Enabled", "true");
        builder.UseSetting("Crm:Jobs:RunServer", "false");
        builder.UseSetting("Crm:Logging:Level", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
