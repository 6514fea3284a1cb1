using System.Text.Json;
using Crm.Automation.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Crm.Automation.Data;

internal sealed class AutomationDbContext(DbContextOptions<AutomationDbContext> options) : DbContext(options)
{
    public const string Schema = "automation";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public DbSet<Scenario> Scenarios => Set<Scenario>();

    public DbSet<ScenarioRun> Runs => Set<ScenarioRun>();

    public DbSet<ActionRun> ActionRuns => Set<ActionRun>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.HasDefaultSchema(Schema);

        builder.Entity<Scenario>(scenario =>
        {
            scenario.ToTable("scenarios");
            scenario.Property(s => s.Name).HasMaxLength(200);
            scenario.Property(s => s.Trigger).HasMaxLength(32);
            scenario.Property(s => s.Version).IsRowVersion();
            scenario.Property(s => s.Conditions).HasColumnType("jsonb").HasConversion(JsonOf<List<ScenarioCondition>>(), ListComparer<ScenarioCondition>());
            scenario.Property(s => s.Actions).HasColumnType("jsonb").HasConversion(JsonOf<List<ScenarioAction>>(), ListComparer<ScenarioAction>());
            scenario.HasIndex(s => new { s.Trigger, s.PipelineId }, "ix_scenarios_trigger");
        });

        builder.Entity<ScenarioRun>(run =>
        {
            run.ToTable("runs");
            run.Property(r => r.ScenarioName).HasMaxLength(200);
            run.Property(r => r.Trigger).HasMaxLength(32);
            run.Property(r => r.Status).HasMaxLength(16);
            run.Property(r => r.Note).HasMaxLength(ScenarioRun.NoteLength);
            // A trigger handed over twice starts each scenario once.
            run.HasIndex(r => new { r.ScenarioId, r.EventId }, "ux_runs_scenario_event").IsUnique();
            run.Property(r => r.RecordKind).HasMaxLength(16);
            // A record's runs (the deal card's panel, the log filtered by a record).
            run.HasIndex(r => new { r.RecordKind, r.RecordId, r.CreatedAt }, "ix_runs_record");
            run.HasIndex(r => new { r.CreatedAt, r.Id }, "ix_runs_created").IsDescending(true, true);
            run.HasIndex(r => r.CreatedAt, "ix_runs_pending").HasFilter("status IN ('queued', 'running')");
        });

        builder.Entity<ActionRun>(action =>
        {
            action.ToTable("action_runs");
            action.Property(a => a.Key).HasMaxLength(100);
            action.Property(a => a.Kind).HasMaxLength(32);
            action.Property(a => a.RecordKind).HasMaxLength(16);
            action.Property(a => a.Status).HasMaxLength(16);
            action.Property(a => a.Outcome).HasMaxLength(Running.ActionRunner.OutcomeLength);
            action.Property(a => a.Error).HasMaxLength(Running.ActionRunner.ErrorLength);
            action.Property(a => a.Version).IsRowVersion();
            action.Property(a => a.Definition).HasColumnType("jsonb").HasConversion(JsonOf<ScenarioAction>(), ValueComparer());
            action.HasIndex(a => a.Key, "ux_action_runs_key").IsUnique();
            action.HasIndex(a => new { a.RunId, a.Position }, "ix_action_runs_run");
            // The pump finds what is waiting or was left running by a crash.
            action.HasIndex(a => a.DueAt, "ix_action_runs_pending").HasFilter("status IN ('queued', 'running', 'retrying')");
        });
    }

    private static Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<T, string> JsonOf<T>()
        where T : new() =>
        new(value => JsonSerializer.Serialize(value, Json), text => JsonSerializer.Deserialize<T>(text, Json) ?? new T());

    private static ValueComparer<List<T>> ListComparer<T>() =>
        new((a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json), v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal), v => JsonSerializer.Deserialize<List<T>>(JsonSerializer.Serialize(v, Json), Json)!);

    private static ValueComparer<ScenarioAction> ValueComparer() =>
        new((a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json), v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal), v => Copy(v));

    private static ScenarioAction Copy(ScenarioAction action) => action with { };
}
