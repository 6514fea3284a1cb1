using Crm.Clients.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Clients.Data;

/// <summary>
/// The Clients module's tables in schema "clients". Lists page by keyset over (sort key, id) within
/// the access scope, so each scope has its own partial index over live (not deleted) rows; search uses
/// trigram indexes on names, phone digits and e-mails.
/// Migrations: dotnet ef migrations add NAME --project src/Modules/Clients/Crm.Clients
///             --startup-project src/Crm.Web --context ClientsDbContext --output-dir Data/Migrations
/// </summary>
internal sealed class ClientsDbContext(DbContextOptions<ClientsDbContext> options) : DbContext(options)
{
    public const string Schema = "clients";
    private const string Live = "deleted_at IS NULL";

    public DbSet<Company> Companies => Set<Company>();

    public DbSet<Contact> Contacts => Set<Contact>();

    public DbSet<ContactCompany> ContactCompanies => Set<ContactCompany>();

    public DbSet<Lead> Leads => Set<Lead>();

    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();

    public DbSet<Attachment> Attachments => Set<Attachment>();

    public DbSet<Segment> Segments => Set<Segment>();

    public DbSet<ListSetting> ListSettings => Set<ListSetting>();

    public DbSet<Import.ClientImport> Imports => Set<Import.ClientImport>();

    public DbSet<Import.ImportRejection> ImportRejections => Set<Import.ImportRejection>();

    public DbSet<MergedRecord> MergedRecords => Set<MergedRecord>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<Outbox.ClientOutboxMessage> Outbox => Set<Outbox.ClientOutboxMessage>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.HasDefaultSchema(Schema);
        builder.HasPostgresExtension("pg_trgm");

        builder.Entity<Company>(company =>
        {
            company.ToTable("companies");
            Record(company);
            company.Property(c => c.Name).HasMaxLength(300);
            company.Property(c => c.Inn).HasMaxLength(12);
            company.Property(c => c.Kpp).HasMaxLength(9);
            company.Property(c => c.Ogrn).HasMaxLength(15);
            company.Property(c => c.Type).HasConversion<string>().HasMaxLength(16);
            company.Property(c => c.Industry).HasMaxLength(200);
            company.Property(c => c.Website).HasMaxLength(300);
            company.Property(c => c.LegalAddress).HasMaxLength(500);
            company.Property(c => c.ActualAddress).HasMaxLength(500);
            company.HasIndex(c => new { c.Name, c.Id }).HasFilter(Live);
            company.HasIndex(c => new { c.OwnerId, c.Name, c.Id }).HasFilter(Live);
            company.HasIndex(c => new { c.OwnerDepartmentId, c.Name, c.Id }).HasFilter(Live);
            company.HasIndex(c => c.Name, "ix_companies_name_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            company.HasIndex(c => c.PhoneDigits, "ix_companies_phone_digits_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            company.HasIndex(c => c.EmailsText, "ix_companies_emails_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            company.HasIndex(c => c.Inn);
            // Exact phone and e-mail matches (an import's duplicate key): array overlap on GIN. Without
            // fastupdate: the pending list a bulk insert leaves would make every lookup scan it (0.6 s
            // instead of 10 ms for 2 000 keys, measured).
            company.HasIndex(c => c.Phones).HasMethod("gin").HasStorageParameter("fastupdate", false);
            company.HasIndex(c => c.Emails).HasMethod("gin").HasStorageParameter("fastupdate", false);
        });

        builder.Entity<Contact>(contact =>
        {
            contact.ToTable("contacts");
            Record(contact);
            contact.Property(c => c.FullName).HasMaxLength(300);
            contact.Property(c => c.Position).HasMaxLength(200);
            contact.HasIndex(c => new { c.FullName, c.Id }).HasFilter(Live);
            contact.HasIndex(c => new { c.OwnerId, c.FullName, c.Id }).HasFilter(Live);
            contact.HasIndex(c => new { c.OwnerDepartmentId, c.FullName, c.Id }).HasFilter(Live);
            contact.HasIndex(c => c.FullName, "ix_contacts_full_name_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            contact.HasIndex(c => c.PhoneDigits, "ix_contacts_phone_digits_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            contact.HasIndex(c => c.EmailsText, "ix_contacts_emails_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            contact.HasIndex(c => c.Phones).HasMethod("gin").HasStorageParameter("fastupdate", false);
            contact.HasIndex(c => c.Emails).HasMethod("gin").HasStorageParameter("fastupdate", false);
        });

        builder.Entity<ContactCompany>(link =>
        {
            link.ToTable("contact_companies");
            link.HasKey(l => new { l.ContactId, l.CompanyId });
            link.Property(l => l.Role).HasMaxLength(100);
            link.HasIndex(l => l.CompanyId);
            link.HasOne<Contact>().WithMany().HasForeignKey(l => l.ContactId).OnDelete(DeleteBehavior.Cascade);
            link.HasOne<Company>().WithMany().HasForeignKey(l => l.CompanyId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Lead>(lead =>
        {
            lead.ToTable("leads");
            Record(lead);
            lead.Property(l => l.Name).HasMaxLength(300);
            lead.Property(l => l.CompanyName).HasMaxLength(300);
            lead.Property(l => l.Phone).HasMaxLength(20);
            lead.Property(l => l.Email).HasMaxLength(254);
            lead.Property(l => l.Source).HasConversion<string>().HasMaxLength(16);
            lead.Property(l => l.Status).HasConversion<string>().HasMaxLength(16);
            lead.HasIndex(l => new { l.CreatedAt, l.Id }).HasFilter(Live);
            lead.HasIndex(l => new { l.OwnerId, l.CreatedAt, l.Id }).HasFilter(Live);
            lead.HasIndex(l => new { l.OwnerDepartmentId, l.CreatedAt, l.Id }).HasFilter(Live);
            lead.HasIndex(l => l.Name, "ix_leads_name_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            lead.HasIndex(l => l.PhoneDigits, "ix_leads_phone_digits_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            lead.HasIndex(l => l.Email, "ix_leads_email_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            // (E-mail equality is served by the trigram index above: pg_trgm answers = since PostgreSQL 14.)
            lead.HasIndex(l => l.Phone);
        });

        builder.Entity<Segment>(segment =>
        {
            segment.ToTable("segments");
            segment.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
            segment.Property(s => s.Name).HasMaxLength(100);
            segment.Property(s => s.Text).HasMaxLength(300);
            segment.Property(s => s.Tag).HasMaxLength(50);
            segment.Property(s => s.CustomField).HasMaxLength(64);
            segment.Property(s => s.CustomValue).HasMaxLength(300);
            segment.Property(s => s.CreatedFrom).HasColumnType("date");
            segment.Property(s => s.CreatedTo).HasColumnType("date");
            segment.Property(s => s.UpdatedFrom).HasColumnType("date");
            segment.Property(s => s.UpdatedTo).HasColumnType("date");
            segment.HasIndex(s => new { s.Kind, s.AuthorId });
        });

        builder.Entity<Attachment>(attachment =>
        {
            attachment.ToTable("attachments");
            attachment.Property(a => a.RecordKind).HasConversion<string>().HasMaxLength(16);
            attachment.Property(a => a.FileName).HasMaxLength(255);
            attachment.Property(a => a.ContentType).HasMaxLength(255);
            attachment.Property(a => a.StoragePath).HasMaxLength(100);
            attachment.Property(a => a.UploadedByName).HasMaxLength(200);
            attachment.HasIndex(a => new { a.RecordId, a.CreatedAt });
        });

        builder.Entity<Import.ClientImport>(import =>
        {
            import.ToTable("imports");
            import.Property(i => i.Kind).HasConversion<string>().HasMaxLength(16);
            import.Property(i => i.Format).HasConversion<string>().HasMaxLength(8);
            import.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
            import.Property(i => i.Duplicates).HasConversion<string>().HasMaxLength(16);
            import.Property(i => i.Key).HasConversion<string>().HasMaxLength(16);
            import.Property(i => i.UserName).HasMaxLength(200);
            import.Property(i => i.Culture).HasMaxLength(16);
            import.Property(i => i.FileName).HasMaxLength(255);
            import.Property(i => i.StoragePath).HasMaxLength(100);
            import.Property(i => i.Error).HasMaxLength(1000);
            import.Property(i => i.Columns).HasColumnType("jsonb").HasConversion(
                columns => System.Text.Json.JsonSerializer.Serialize(columns, JsonOptions),
                json => System.Text.Json.JsonSerializer.Deserialize<List<Import.ImportColumn>>(json, JsonOptions) ?? new List<Import.ImportColumn>(),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<Import.ImportColumn>>(
                    (a, b) => a!.SequenceEqual(b!), c => c.Aggregate(0, (h, v) => HashCode.Combine(h, v.GetHashCode())), c => c.ToList()));
            import.Ignore(i => i.Percent);
            // The user's imports, newest first; also where a user's last mapping is remembered from.
            import.HasIndex(i => new { i.UserId, i.Kind, i.CreatedAt });
        });

        builder.Entity<Import.ImportRejection>(rejection =>
        {
            rejection.ToTable("import_rejections");
            rejection.HasKey(r => new { r.ImportId, r.RowNumber });
            rejection.Property(r => r.Cells).HasColumnType("text[]");
            rejection.HasOne<Import.ClientImport>().WithMany().HasForeignKey(r => r.ImportId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TimelineEntry>(entry =>
        {
            entry.ToTable("timeline_entries");
            entry.Property(e => e.RecordKind).HasConversion<string>().HasMaxLength(16);
            entry.Property(e => e.Kind).HasMaxLength(32);
            entry.Property(e => e.Subject).HasMaxLength(500);
            entry.Property(e => e.AuthorName).HasMaxLength(200);
            entry.Property(e => e.Link).HasMaxLength(500);
            entry.HasIndex(e => new { e.RecordId, e.CreatedAt });
        });

        builder.Entity<Outbox.ClientOutboxMessage>(message =>
        {
            message.ToTable("outbox");
            message.Property(m => m.Kind).HasMaxLength(32);
            message.Property(m => m.RecordKind).HasMaxLength(16);
            message.Property(m => m.Channel).HasMaxLength(16);
            // The drain reads what is waiting, oldest first; processed rows stay out of the index.
            message.HasIndex(m => new { m.OccurredAt, m.Id }, "ix_outbox_pending").HasFilter("processed_at IS NULL");
        });

        MergeAndAudit(builder);
        Lists(builder);
    }

    /// <summary>
    /// The users' column and sort choices, and the (key, id) indexes of the sorts a list offers, in the
    /// three scope shapes. "Last activity" sorts by COALESCE(last_activity_at, created_at): its indexes
    /// are expression indexes written as SQL in the ListSettings migration (EF cannot model them).
    /// </summary>
    private static void Lists(ModelBuilder builder)
    {
        builder.Entity<ListSetting>(setting =>
        {
            setting.ToTable("list_settings");
            setting.HasKey(s => new { s.UserId, s.Kind });
            setting.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
            setting.Property(s => s.Columns).HasColumnType("text[]");
            setting.Property(s => s.Sort).HasMaxLength(40);
        });

        builder.Entity<Company>(company =>
        {
            SortIndexes(company, c => new { c.CreatedAt, c.Id }, c => new { c.OwnerId, c.CreatedAt, c.Id }, c => new { c.OwnerDepartmentId, c.CreatedAt, c.Id });
            SortIndexes(company, c => new { c.UpdatedAt, c.Id }, c => new { c.OwnerId, c.UpdatedAt, c.Id }, c => new { c.OwnerDepartmentId, c.UpdatedAt, c.Id });
        });
        builder.Entity<Contact>(contact =>
        {
            SortIndexes(contact, c => new { c.CreatedAt, c.Id }, c => new { c.OwnerId, c.CreatedAt, c.Id }, c => new { c.OwnerDepartmentId, c.CreatedAt, c.Id });
            SortIndexes(contact, c => new { c.UpdatedAt, c.Id }, c => new { c.OwnerId, c.UpdatedAt, c.Id }, c => new { c.OwnerDepartmentId, c.UpdatedAt, c.Id });
        });
        builder.Entity<Lead>(lead =>
        {
            SortIndexes(lead, l => new { l.Name, l.Id }, l => new { l.OwnerId, l.Name, l.Id }, l => new { l.OwnerDepartmentId, l.Name, l.Id });
            SortIndexes(lead, l => new { l.UpdatedAt, l.Id }, l => new { l.OwnerId, l.UpdatedAt, l.Id }, l => new { l.OwnerDepartmentId, l.UpdatedAt, l.Id });
        });
    }

    private static void SortIndexes<T>(EntityTypeBuilder<T> record, params System.Linq.Expressions.Expression<Func<T, object?>>[] shapes)
        where T : class
    {
        foreach (var shape in shapes)
        {
            record.HasIndex(shape).HasFilter(Live);
        }
    }

    private static void MergeAndAudit(ModelBuilder builder)
    {
        builder.Entity<MergedRecord>(merged =>
        {
            merged.ToTable("merged_records");
            merged.HasKey(m => m.RemovedId);
            merged.Property(m => m.RemovedId).ValueGeneratedNever();
            merged.Property(m => m.Kind).HasConversion<string>().HasMaxLength(16);
            merged.HasIndex(m => m.SurvivorId);
        });

        builder.Entity<AuditEntry>(audit =>
        {
            audit.ToTable("audit_log");
            audit.Property(a => a.UserName).HasMaxLength(200);
            audit.Property(a => a.Action).HasMaxLength(32);
            audit.Property(a => a.RecordKind).HasConversion<string>().HasMaxLength(16);
            audit.Property(a => a.Summary).HasMaxLength(2000);
            audit.HasIndex(a => new { a.At, a.Id }).IsDescending(true, true);
            audit.HasIndex(a => a.RecordId);
        });
    }

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static void Record<T>(EntityTypeBuilder<T> record)
        where T : ClientRecord
    {
        record.Property(r => r.Version).IsRowVersion();
        record.Property(r => r.Tags).HasColumnType("text[]");
        // Lists filter custom fields by jsonb containment ("field equals value"), which jsonb_path_ops serves.
        record.Property(r => r.CustomFields).HasColumnType("jsonb");
        record.HasIndex(r => r.CustomFields).HasMethod("gin").HasOperators("jsonb_path_ops");
        record.HasIndex(r => r.Tags).HasMethod("gin");
        record.Ignore(r => r.Kind);
        record.Ignore(r => r.DisplayName);
    }
}
