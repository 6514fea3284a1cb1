using Crm.Automation.Data;
using Crm.Automation.Domain;
using Crm.Automation.Running;
using Crm.SharedKernel.Hosting;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Crm.Automation.Seeding;

/// <summary>Migrates the automation schema, protects webhook secrets saved in plain text before, and registers the every-minute pump.</summary>
internal sealed class AutomationDatabase(AutomationDbContext db, WebhookSecrets secrets, IRecurringJobManager recurring) : IModuleDatabase
{
    public string Module => "automation";

    public int Order => 40;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        await ProtectPlainSecretsAsync(cancellationToken);
        recurring.Ensure<AutomationPump>(AutomationPump.JobId, pump => pump.PumpAsync(CancellationToken.None), Cron.Minutely());
    }

    /// <summary>
    /// Scenarios and run copies written before secrets were protected hold them in plain text: protected once
    /// here (only those rows are read). Running it again finds nothing. The run copies are looked at only when a
    /// scenario still held a plain secret (both are saved together), so a start never scans a big run table for
    /// nothing; a copy left plain some other way still signs (ActionEffects reads either).
    /// </summary>
    private async Task ProtectPlainSecretsAsync(CancellationToken cancellationToken)
    {
        var scenarios = await db.Scenarios
            .FromSqlRaw("SELECT s.*, s.xmin FROM automation.scenarios AS s WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(s.actions) AS a WHERE coalesce(a->>'secret', '') <> '')")
            .ToListAsync(cancellationToken);
        foreach (var scenario in scenarios)
        {
            scenario.Actions = scenario.Actions.Select(Protected).ToList();
        }

        if (scenarios.Count == 0)
        {
            return;
        }

        var actions = await db.ActionRuns
            .FromSqlRaw("SELECT r.*, r.xmin FROM automation.action_runs AS r WHERE coalesce(r.definition->>'secret', '') <> ''")
            .ToListAsync(cancellationToken);
        foreach (var action in actions)
        {
            action.Definition = Protected(action.Definition);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private ScenarioAction Protected(ScenarioAction action) =>
        string.IsNullOrEmpty(action.Secret) ? action : action with { Secret = null, SecretCipher = secrets.Protect(action.Secret) };
}
