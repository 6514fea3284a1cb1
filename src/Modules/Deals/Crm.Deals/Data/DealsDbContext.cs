using Crm.Deals.Domain;
using Microsoft.EntityFrameworkCore;

namespace Crm.Deals.Data;

/// <summary>
/// The Deals module's tables in schema "deals". The board reads each stage's cards by keyset over
/// (stage, entered, id) within the access scope, so each scope shape has its own partial index over
/// live deals; the list pages by (created, id) the same way.
/// Migrations: dotnet ef migrations add NAME --project src/Modules/Deals/Crm.Deals
///             --startup-project src/Crm.Web --context DealsDbContext --output-dir Data/Migrations
/// </summary>
internal sealed class DealsDbContext(DbContextOptions<DealsDbContext> options) : DbContext(options)
{
    public const string Schema = "deals";
    private const string Live = "deleted_at IS NULL";

    public DbSet<Pipeline> Pipelines => Set<Pipeline>();

    public DbSet<Stage> Stages => Set<Stage>();

    public DbSet<Deal> Deals => Set<Deal>();

    public DbSet<LineItem> LineItems => Set<LineItem>();

    public DbSet<StageHistoryEntry> StageHistory => Set<StageHistoryEntry>();

    public DbSet<LossReason> LossReasons => Set<LossReason>();

    public DbSet<DealTimelineEntry> Timeline => Set<DealTimelineEntry>();

    public DbSet<DealAuditEntry> AuditLog => Set<DealAuditEntry>();

    public DbSet<DealNumberCounter> NumberCounters => Set<DealNumberCounter>();

    public DbSet<DealListSetting> ListSettings => Set<DealListSetting>();
    public DbSet<DealAttachment> Attachments => Set<DealAttachment>();

    public DbSet<DealOutboxMessage> Outbox => Set<DealOutboxMessage>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.HasDefaultSchema(Schema);
        builder.HasPostgresExtension("pg_trgm");

        builder.Entity<Pipeline>(pipeline =>
        {
            pipeline.ToTable("pipelines");
            pipeline.Property(p => p.Name).HasMaxLength(100);
            pipeline.Property(p => p.Mode).HasConversion<string>().HasMaxLength(16);
            pipeline.Property(p => p.Currency).HasMaxLength(3);
            pipeline.HasMany(p => p.Stages).WithOne().HasForeignKey(s => s.PipelineId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Stage>(stage =>
        {
            stage.ToTable("stages");
            stage.Property(s => s.Name).HasMaxLength(100);
            stage.Property(s => s.Color).HasMaxLength(7);
            stage.Property(s => s.Kind).HasConversion<string>().HasMaxLength(8);
            stage.Property(s => s.RequiredFields).HasColumnType("text[]");
            stage.HasIndex(s => new { s.PipelineId, s.Position });
        });

        builder.Entity<LossReason>(reason =>
        {
            reason.ToTable("loss_reasons");
            reason.Property(r => r.Name).HasMaxLength(200);
        });

        builder.Entity<Deal>(deal =>
        {
            deal.ToTable("deals");
            deal.Property(d => d.Version).IsRowVersion();
            deal.Property(d => d.Title).HasMaxLength(300);
            deal.Property(d => d.CompanyName).HasMaxLength(300);
            deal.Property(d => d.ContactName).HasMaxLength(300);
            deal.Property(d => d.LeadName).HasMaxLength(300);
            deal.Property(d => d.Amount).HasPrecision(18, 2);
            deal.Property(d => d.Currency).HasMaxLength(3);
            deal.Property(d => d.Source).HasConversion<string>().HasMaxLength(16);
            deal.Property(d => d.PaymentForm).HasConversion<string>().HasMaxLength(16);
            deal.Property(d => d.Delivery).HasConversion<string>().HasMaxLength(20);
            deal.Property(d => d.LossComment).HasMaxLength(1000);
            deal.Property(d => d.CustomFields).HasColumnType("jsonb");
            deal.Ignore(d => d.DisplayNumber);
            deal.Ignore(d => d.ClientName);
            deal.HasIndex(d => new { d.Year, d.Number }).IsUnique();
            deal.HasMany(d => d.Items).WithOne().HasForeignKey(i => i.DealId).OnDelete(DeleteBehavior.Cascade);

            // The board: a stage's cards, newest arrivals first, in each scope shape.
            // Amount and currency ride along so that the column totals are index-only scans, one per stage.
            deal.HasIndex(d => new { d.StageId, d.StageEnteredAt, d.Id }, "ix_deals_board").HasFilter(Live).IsDescending(false, true, true)
                .IncludeProperties(d => new { d.Amount, d.Currency });
            deal.HasIndex(d => new { d.OwnerId, d.StageId, d.StageEnteredAt, d.Id }, "ix_deals_board_owner").HasFilter(Live).IsDescending(false, false, true, true)
                .IncludeProperties(d => new { d.Amount, d.Currency });
            deal.HasIndex(d => new { d.OwnerDepartmentId, d.StageId, d.StageEnteredAt, d.Id }, "ix_deals_board_department").HasFilter(Live).IsDescending(false, false, true, true)
                .IncludeProperties(d => new { d.Amount, d.Currency });

            // The list: newest first, in each scope shape.
            deal.HasIndex(d => new { d.CreatedAt, d.Id }, "ix_deals_list").HasFilter(Live).IsDescending(true, true);
            deal.HasIndex(d => new { d.OwnerId, d.CreatedAt, d.Id }, "ix_deals_list_owner").HasFilter(Live).IsDescending(false, true, true);
            deal.HasIndex(d => new { d.OwnerDepartmentId, d.CreatedAt, d.Id }, "ix_deals_list_department").HasFilter(Live).IsDescending(false, true, true);

            // A client's deals (its card's panel) and the refresh of the copied names.
            deal.HasIndex(d => d.CompanyId);
            deal.HasIndex(d => d.ContactId);
            deal.HasIndex(d => d.LeadId);
            deal.HasIndex(d => d.Title, "ix_deals_title_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            // Lists filter custom fields by jsonb containment ("field equals value"), which jsonb_path_ops serves.
            deal.HasIndex(d => d.CustomFields).HasMethod("gin").HasOperators("jsonb_path_ops");
        });

        builder.Entity<LineItem>(item =>
        {
            item.ToTable("line_items");
            item.Property(i => i.Name).HasMaxLength(300);
            item.Property(i => i.Unit).HasMaxLength(20);
            item.Property(i => i.Quantity).HasPrecision(18, 3);
            item.Property(i => i.Price).HasPrecision(18, 2);
            item.Property(i => i.DiscountPercent).HasPrecision(5, 2);
            item.Property(i => i.VatRate).HasPrecision(5, 2);
            item.Ignore(i => i.Total);
            item.Ignore(i => i.Vat);
            item.HasIndex(i => new { i.DealId, i.Position });
        });

        builder.Entity<StageHistoryEntry>(entry =>
        {
            entry.ToTable("stage_history");
            entry.Property(h => h.Channel).HasMaxLength(16);
            entry.HasIndex(h => new { h.DealId, h.EnteredAt });
            // Reports read by pipeline and period.
            entry.HasIndex(h => new { h.PipelineId, h.EnteredAt });
            // At most one open stay per deal: a second would mean a move was written twice.
            entry.HasIndex(h => h.DealId, "ux_stage_history_open").IsUnique().HasFilter("left_at IS NULL");
            // The stalled sweep reads open stays not yet marked.
            entry.HasIndex(h => h.DealId, "ix_stage_history_unmarked").HasFilter("left_at IS NULL AND stalled_at IS NULL");
        });

        builder.Entity<DealOutboxMessage>(message =>
        {
            message.ToTable("outbox");
            message.Property(m => m.Kind).HasMaxLength(32);
            message.Property(m => m.Channel).HasMaxLength(16);
            // The drain reads what is waiting, oldest first; processed rows stay out of the index.
            message.HasIndex(m => new { m.OccurredAt, m.Id }, "ix_outbox_pending").HasFilter("processed_at IS NULL");
        });

        builder.Entity<DealTimelineEntry>(entry =>
        {
            entry.ToTable("timeline_entries");
            entry.Property(e => e.Kind).HasMaxLength(32);
            entry.Property(e => e.Subject).HasMaxLength(500);
            entry.Property(e => e.AuthorName).HasMaxLength(200);
            entry.HasIndex(e => new { e.DealId, e.CreatedAt });
        });

        builder.Entity<DealAuditEntry>(audit =>
        {
            audit.ToTable("audit_log");
            audit.Property(a => a.UserName).HasMaxLength(200);
            audit.Property(a => a.Action).HasMaxLength(32);
            audit.Property(a => a.Summary).HasMaxLength(4000);
            audit.HasIndex(a => new { a.At, a.Id }).IsDescending(true, true);
            audit.HasIndex(a => a.DealId);
        });

        builder.Entity<DealListSetting>(setting =>
        {
            setting.ToTable("list_settings");
            setting.HasKey(s => s.UserId);
            setting.Property(s => s.UserId).ValueGeneratedNever();
            setting.Property(s => s.Columns).HasColumnType("text[]");
            setting.Property(s => s.Sort).HasMaxLength(40);
        });

        builder.Entity<DealAttachment>(attachment =>
        {
            attachment.ToTable("attachments");
            attachment.Property(a => a.FileName).HasMaxLength(255);
            attachment.Property(a => a.ContentType).HasMaxLength(255);
            attachment.Property(a => a.StoragePath).HasMaxLength(300);
            attachment.Property(a => a.UploadedByName).HasMaxLength(200);
            attachment.HasIndex(a => new { a.DealId, a.CreatedAt });
        });

        builder.Entity<DealNumberCounter>(counter =>
        {
            counter.ToTable("number_counters");
            counter.HasKey(c => c.Year);
            counter.Property(c => c.Year).ValueGeneratedNever();
        });
    }
}
