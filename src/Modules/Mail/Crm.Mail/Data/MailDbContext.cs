using Crm.Mail.Domain;
using Microsoft.EntityFrameworkCore;

namespace Crm.Mail.Data;

/// <summary>
/// The Mail module's tables in schema "mail": accounts, templates, and the outgoing queue with its
/// attachments. A record's card reads its mails by (record, created), the sweep reads the small partial
/// indexes of what is still queued or sending.
/// Migrations: dotnet ef migrations add NAME --project src/Modules/Mail/Crm.Mail
///             --startup-project src/Modules/Mail/Crm.Mail --context MailDbContext --output-dir Data/Migrations
/// </summary>
internal sealed class MailDbContext(DbContextOptions<MailDbContext> options) : DbContext(options)
{
    public const string Schema = "mail";

    public DbSet<MailAccount> Accounts => Set<MailAccount>();

    public DbSet<MailTemplate> Templates => Set<MailTemplate>();

    public DbSet<OutgoingMail> Outgoing => Set<OutgoingMail>();

    public DbSet<OutgoingAttachment> Attachments => Set<OutgoingAttachment>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.HasDefaultSchema(Schema);

        // Trigram indexes for the outgoing list's text filter (the extension is the database's; Clients uses it too).
        builder.HasPostgresExtension("pg_trgm");

        builder.Entity<MailAccount>(account =>
        {
            account.ToTable("accounts");
            account.Property(a => a.Name).HasMaxLength(MailAccount.NameLength);
            account.Property(a => a.Host).HasMaxLength(MailAccount.HostLength);
            account.Property(a => a.Tls).HasConversion<string>().HasMaxLength(16);
            account.Property(a => a.UserName).HasMaxLength(MailAccount.AddressLength);
            account.Property(a => a.FromAddress).HasMaxLength(MailAccount.AddressLength);
            account.Property(a => a.FromName).HasMaxLength(MailAccount.NameLength);

            // At most one default, and only a shared account can be it.
            account.HasIndex(a => a.IsDefault, "ux_accounts_default").IsUnique().HasFilter("is_default AND owner_id IS NULL");
            account.HasIndex(a => a.OwnerId, "ix_accounts_owner");
        });

        builder.Entity<MailTemplate>(template =>
        {
            template.ToTable("templates");
            template.Property(t => t.Name).HasMaxLength(MailTemplate.NameLength);
            template.Property(t => t.Subject).HasMaxLength(MailTemplate.SubjectLength);
            template.HasIndex(t => t.Name, "ix_templates_name");
        });

        builder.Entity<OutgoingMail>(mail =>
        {
            mail.ToTable("outgoing");
            mail.Property(m => m.To).HasMaxLength(OutgoingMail.AddressesLength);
            mail.Property(m => m.Cc).HasMaxLength(OutgoingMail.AddressesLength);
            mail.Property(m => m.Subject).HasMaxLength(OutgoingMail.SubjectLength);
            mail.Property(m => m.RecordKind).HasMaxLength(32);
            mail.Property(m => m.OriginKey).HasMaxLength(OutgoingMail.OriginKeyLength);
            mail.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
            mail.Property(m => m.LastError).HasMaxLength(OutgoingMail.ErrorLength);
            mail.Property(m => m.CreatedByName).HasMaxLength(200);
            mail.Property(m => m.Culture).HasMaxLength(8);
            mail.HasMany(m => m.Attachments).WithOne().HasForeignKey(a => a.MailId).OnDelete(DeleteBehavior.Cascade);

            // At most one mail per cause: the queue's "once" is this constraint, not a check before the insert.
            mail.HasIndex(m => m.OriginKey, "ux_outgoing_origin_key").IsUnique().HasFilter("origin_key IS NOT NULL");
            // A record's mails on its card, newest first.
            mail.HasIndex(m => new { m.RecordKind, m.RecordId, m.CreatedAt }, "ix_outgoing_by_record").HasFilter("record_id IS NOT NULL");
            // The sweep: queued mails whose job may be lost, sending ones whose job may have died.
            mail.HasIndex(m => m.EnqueuedAt, "ix_outgoing_queued").HasFilter("status = 'Queued'");
            mail.HasIndex(m => m.ClaimedAt, "ix_outgoing_sending").HasFilter("status = 'Sending'");
            // The admins' outgoing list (HasDatabaseName: the snake-case convention would otherwise rename the indexes after their columns), newest first (keyset over (created_at, id)); by status, since failed
            // or queued mail is a small part of the table and would otherwise be looked for along all of it.
            mail.HasIndex(m => new { m.CreatedAt, m.Id }, "ix_outgoing_created").HasDatabaseName("ix_outgoing_created");
            mail.HasIndex(m => new { m.Status, m.CreatedAt, m.Id }, "ix_outgoing_status_created").HasDatabaseName("ix_outgoing_status_created");
            // Its text filter: a fragment of the recipients or the subject (ILIKE '%…%', three characters at least).
            mail.HasIndex(m => m.To, "ix_outgoing_to_trgm").HasDatabaseName("ix_outgoing_to_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            mail.HasIndex(m => m.Subject, "ix_outgoing_subject_trgm").HasDatabaseName("ix_outgoing_subject_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        });

        builder.Entity<OutgoingAttachment>(attachment =>
        {
            attachment.ToTable("outgoing_attachments");
            attachment.Property(a => a.FileName).HasMaxLength(OutgoingAttachment.FileNameLength);
            attachment.Property(a => a.ContentType).HasMaxLength(200);
            attachment.HasIndex(a => a.MailId, "ix_outgoing_attachments_mail");
        });
    }
}
