using System.Globalization;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Pipelines;
using Crm.SharedKernel.Hosting;
using Crm.SharedKernel.Localization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Seeding;

/// <summary>
/// Migrates the deals schema and gives a new installation something to sell with, demo data or not:
/// the two template pipelines and the usual loss reasons, named in the default language.
/// </summary>
internal sealed class DealsDatabase(DealsDbContext db, IStringLocalizer<DealsStrings> L, TimeProvider clock, IRecurringJobManager recurring) : IModuleDatabase
{
    public string Module => "deals";

    public int Order => 20;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        // Each change kicks the drain at once; this catches what a crash left between commit and kick.
        recurring.Ensure<Outbox.DealOutboxDrain>(Outbox.DealOutboxDrain.JobId, drain => drain.DrainAsync(CancellationToken.None), Cron.Minutely());
        recurring.Ensure<Outbox.StalledSweep>(Outbox.StalledSweep.JobId, sweep => sweep.SweepAsync(CancellationToken.None), "*/5 * * * *");
        if (await db.Pipelines.AnyAsync(cancellationToken))
        {
            return;
        }

        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(CrmCultures.Default);
        try
        {
            var now = clock.GetUtcNow();
            db.Pipelines.Add(PipelineTemplates.Create(PipelineTemplates.Goods, L, 0, now));
            db.Pipelines.Add(PipelineTemplates.Create(PipelineTemplates.Services, L, 1, now));
            if (!await db.LossReasons.AnyAsync(cancellationToken))
            {
                db.LossReasons.AddRange(PipelineTemplates.LossReasons.Select((name, i) => new LossReason { Id = Guid.CreateVersion7(), Name = L[name], Position = i }));
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
