using Crm.Automation;
using Crm.Clients;
using Crm.CustomFields;
using Crm.Deals;
using Crm.Tasks;
using Crm.Mail;
using Crm.Identity;
using Crm.Web.Features.Search;
using Crm.Web.Infrastructure.Database;
using Crm.Web.Infrastructure.Events;
using Crm.Web.Infrastructure.Health;
using Crm.Web.Infrastructure.Jobs;
using Crm.Web.Infrastructure.Localization;
using Crm.Web.Infrastructure.Logging;
using Crm.Web.Infrastructure.Web;

// The host: it composes the modules, owns the layout, navigation, search box, error pages, logging,
// background jobs and the local PostgreSQL for development. Business code lives in the modules.
var builder = WebApplication.CreateBuilder(args);
var dataDirectory = builder.ResolveDataDirectory();

builder.AddCrmLogging(dataDirectory);
await using var localPostgres = await builder.UseLocalPostgresWhenNotConfiguredAsync(dataDirectory);
builder.UsePooledConnectionDefaults();

builder.Services.AddCrmWeb(builder.Configuration, dataDirectory);
builder.Services.AddCrmLocalization();
builder.Services.AddCrmHealthChecks();
builder.Services.AddCrmJobs(builder.Configuration);
builder.Services.AddCrmIntegrationEvents();

// Modules: each one registers its tables, pages, jobs, navigation and contracts.
builder.Services.AddIdentityModule(builder.Configuration);
builder.Services.AddCustomFieldsModule(builder.Configuration);
builder.Services.AddClientsModule(builder.Configuration);
builder.Services.AddDealsModule(builder.Configuration);
builder.Services.AddTasksModule(builder.Configuration);
builder.Services.AddAutomationModule(builder.Configuration);
builder.Services.AddMailModule(builder.Configuration);

var app = builder.Build();

await app.InitializeDatabaseAsync(args);
if (args.Contains("--migrate") || args.Contains("--seed"))
{
    // ./crm.sh migrate / ./crm.sh seed: the work is done, nothing to serve.
    return;
}

app.UseCrmRequestLogging();
app.UseCrmErrorHandling();
app.UseSecurityHeaders();
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseCrmLocalization();
app.UseAuthorization();
app.UseAntiforgery();

app.MapCrmHealthChecks();
app.MapCrmJobsDashboard();
app.MapIdentityModule();
app.MapClientsModule();
app.MapDealsModule();
app.MapTasksModule();
app.MapAutomationModule();
app.MapMailModule();
app.MapGlobalSearchApi();
app.MapCrmApiFallback();
app.MapControllers();

await app.RunAsync();

/// <summary>Entry point, public for WebApplicationFactory in the integration and browser tests.</summary>
public partial class Program;
