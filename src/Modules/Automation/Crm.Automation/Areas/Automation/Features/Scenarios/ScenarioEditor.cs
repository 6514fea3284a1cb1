using Crm.Automation.Data;
using Crm.Automation.Domain;
using Crm.Automation.Running;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;

namespace Crm.Automation.Areas.Automation.Features.Scenarios;

/// <summary>What a save came to: the saved scenario, the field errors, or a conflict with someone else's save.</summary>
internal sealed record ScenarioSave(Scenario? Scenario, IReadOnlyDictionary<string, string> Errors, bool Conflict)
{
    public bool Succeeded => Scenario is not null && Errors.Count == 0 && !Conflict;
}

/// <summary>
/// Creates, changes and deletes scenarios for the admin pages and the API: every save goes through
/// <see cref="ScenarioRules"/>, runs from now on with the rights of the admin who saved it, and a stale version
/// (someone saved meanwhile) changes nothing. Webhook secrets are stored protected (<see cref="WebhookSecrets"/>).
/// </summary>
internal sealed class ScenarioEditor(AutomationDbContext db, ScenarioRules rules, WebhookSecrets secrets, ICurrentUser user, TimeProvider clock)
{
    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();

    public Task<Scenario?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Scenarios.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);

    public async Task<ScenarioSave> CreateAsync(ScenarioDraft draft, CancellationToken cancellationToken)
    {
        var errors = await rules.CheckAsync(draft, cancellationToken);
        if (errors.Count > 0)
        {
            return new ScenarioSave(null, errors, false);
        }

        var now = clock.GetUtcNow();
        var scenario = new Scenario { Id = Guid.CreateVersion7(), CreatedAt = now, UpdatedAt = now, RunAsUserId = user.Id };
        draft.Actions = secrets.Seal(draft.Actions, []);
        draft.ApplyTo(scenario);
        db.Scenarios.Add(scenario);
        await db.SaveChangesAsync(cancellationToken);
        return new ScenarioSave(scenario, NoErrors, false);
    }

    /// <param name="expectedVersion">The version the admin edited; null when the caller does not care (an API call without one).</param>
    public async Task<ScenarioSave> UpdateAsync(Scenario scenario, ScenarioDraft draft, uint? expectedVersion, CancellationToken cancellationToken)
    {
        var errors = await rules.CheckAsync(draft, cancellationToken);
        if (errors.Count > 0)
        {
            return new ScenarioSave(null, errors, false);
        }

        if (expectedVersion is { } expected)
        {
            if (expected != scenario.Version)
            {
                return new ScenarioSave(null, NoErrors, true);
            }

            // The save's own check: the row must still carry the version the admin saw.
            db.Entry(scenario).Property(s => s.Version).OriginalValue = expected;
        }

        draft.Actions = secrets.Seal(draft.Actions, scenario.Actions);
        draft.ApplyTo(scenario);
        scenario.RunAsUserId = user.Id;
        scenario.UpdatedAt = clock.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new ScenarioSave(null, NoErrors, true);
        }

        return new ScenarioSave(scenario, NoErrors, false);
    }

    /// <summary>Deletes the scenario. Runs already recorded keep their log (they copied the name and the actions).</summary>
    public async Task<bool> DeleteAsync(Scenario scenario, uint? expectedVersion, CancellationToken cancellationToken)
    {
        if (expectedVersion is { } expected)
        {
            if (expected != scenario.Version)
            {
                return false;
            }

            db.Entry(scenario).Property(s => s.Version).OriginalValue = expected;
        }

        db.Scenarios.Remove(scenario);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
