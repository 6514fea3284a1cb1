using Crm.Mail.Contracts;
using Crm.Mail.Data;
using Crm.Mail.Records;
using Crm.Mail.Seeding;
using Crm.Mail.Sending;
using Crm.Mail.Templates;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Hosting;
using Crm.SharedKernel.Navigation;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Mail;

/// <summary>Outbound mail: SMTP accounts, templates, the outgoing queue sent by Hangfire, composing from cards. The module's only entry points.</summary>
public static class MailModule
{
    public static IServiceCollection AddMailModule(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Crm")
            ?? throw new InvalidOperationException("ConnectionStrings:Crm is not configured.");
        services.AddDbContext<MailDbContext>(options => ConfigureDbContext(options, connectionString), optionsLifetime: ServiceLifetime.Singleton);

        services.AddSingleton<SmtpPasswords>();
        services.AddSingleton<IMailSender, SmtpMailSender>();
        services.AddScoped<MailRecords>();
        services.AddScoped<MailQueue>();
        services.AddScoped<IMailQueue>(provider => provider.GetRequiredService<MailQueue>());
        services.AddScoped<IMailTemplates, MailTemplateStore>();
        services.AddScoped<MailDelivery>();
        services.AddScoped<MailSweep>();
        services.AddScoped<Jobs.MailJobs>();
        services.AddScoped<Areas.Mail.Features.Panel.MailPanelBuilder>();
        services.AddScoped<Areas.Mail.Features.Outgoing.OutgoingList>();
        services.AddScoped<IModuleDatabase, MailDatabase>();
        services.AddScoped<IDemoDataSeeder, MailDemoSeeder>();

        // The mail panel (compose, the record's mails with their status, retry) on the cards mail can be about.
        services.AddSingleton(new Crm.Clients.Contracts.ClientCardPanel(
            Areas.Mail.Features.Panel.MailPanelViewComponent.Name, 18, Crm.Clients.Contracts.ClientKind.Company, Crm.Clients.Contracts.ClientKind.Contact, Crm.Clients.Contracts.ClientKind.Lead));
        services.AddSingleton(new Crm.Deals.Contracts.DealCardPanel(Areas.Mail.Features.Panel.DealMailPanelViewComponent.Name, 18));

        services.AddSingleton(new NavigationItem("mail-accounts", "Mail accounts", "/admin/mail/accounts", "envelope", 960, typeof(MailStrings), BuiltInRoles.Admin, NavigationSections.Admin));
        services.AddSingleton(new NavigationItem("mail-templates", "Mail templates", "/admin/mail/templates", "envelope", 965, typeof(MailStrings), BuiltInRoles.Admin, NavigationSections.Admin));
        services.AddSingleton(new NavigationItem("mail-outgoing", "Outgoing mail", Areas.Mail.Features.Outgoing.OutgoingController.Path, "envelope", 967, typeof(MailStrings), BuiltInRoles.Admin, NavigationSections.Admin));
        return services;
    }

    public static IEndpointRouteBuilder MapMailModule(this IEndpointRouteBuilder endpoints) => endpoints;

    internal static void ConfigureDbContext(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", MailDbContext.Schema))
            .UseSnakeCaseNamingConvention();
}
