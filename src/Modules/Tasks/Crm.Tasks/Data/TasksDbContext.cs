using Crm.Tasks.Domain;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tasks.Data;

/// <summary>
/// The Tasks module's tables in schema "tasks". Open tasks are read per assignee by due time (my day,
/// calendar, the department overview), so partial indexes over live open tasks carry them; the reminder
/// and overdue jobs read the partial indexes of what is still to be told, which stay small.
/// Migrations: dotnet ef migrations add NAME --project src/Modules/Tasks/Crm.Tasks
///             --startup-project src/Crm.Web --context TasksDbContext --output-dir Data/Migrations
/// </summary>
internal sealed class TasksDbContext(DbContextOptions<TasksDbContext> options) : DbContext(options)
{
    public const string Schema = "tasks";
    private const string Live = "deleted_at IS NULL";
    private const string LiveOpen = "deleted_at IS NULL AND status = 'Open'";

    public DbSet<TaskItem> Tasks => Set<TaskItem>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<CalendarFeed> CalendarFeeds => Set<CalendarFeed>();

    public DbSet<TaskOutboxMessage> Outbox => Set<TaskOutboxMessage>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        // Indexes are named in HasIndex itself: EF treats two unnamed HasIndex calls over the same columns as one
        // index (the second's name and filter win), and several of these share columns with other filters.
        builder.HasDefaultSchema(Schema);

        builder.Entity<TaskItem>(task =>
        {
            task.ToTable("tasks");
            task.Property(t => t.OriginKey).HasMaxLength(200);
            task.HasIndex(t => t.OriginKey, "ux_tasks_origin_key").IsUnique().HasFilter("origin_key IS NOT NULL");
            task.Property(t => t.Version).IsRowVersion();
            task.Property(t => t.Title).HasMaxLength(TaskItem.TitleLength);
            task.Property(t => t.Description).HasMaxLength(TaskItem.DescriptionLength);
            task.Property(t => t.Result).HasMaxLength(TaskItem.ResultLength);
            task.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
            task.Property(t => t.Priority).HasConversion<string>().HasMaxLength(16);
            task.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
            task.Property(t => t.LinkKind).HasMaxLength(32);
            task.Property(t => t.LinkName).HasMaxLength(300);
            task.Property(t => t.Tags).HasColumnType("text[]");
            task.Ignore(t => t.IsOpen);

            // My day, the calendar and the overview: an assignee's open tasks by due time.
            // The included columns let my day's counts and the overview come from the index alone.
            task.HasIndex(t => new { t.AssigneeId, t.DueAt, t.Id }, "ix_tasks_open_by_assignee").HasFilter(LiveOpen)
                .IncludeProperties(t => new { t.OverdueAt, t.AssigneeDepartmentId });
            // The department overview (grouped by assignee, index-only) and department-scoped lists of open tasks.
            task.HasIndex(t => new { t.AssigneeDepartmentId, t.DueAt, t.Id }, "ix_tasks_open_by_department").HasFilter(LiveOpen)
                .IncludeProperties(t => new { t.AssigneeId, t.OverdueAt });
            // Open tasks someone set, for their lists (the list shows open ones unless asked otherwise).
            task.HasIndex(t => new { t.AuthorId, t.DueAt, t.Id }, "ix_tasks_open_by_author").HasFilter(LiveOpen);
            // Lists over every status, paged by (due, id) within each scope shape.
            task.HasIndex(t => new { t.AssigneeId, t.DueAt, t.Id }, "ix_tasks_by_assignee").HasFilter(Live);
            task.HasIndex(t => new { t.AssigneeDepartmentId, t.DueAt, t.Id }, "ix_tasks_by_department").HasFilter(Live);
            task.HasIndex(t => new { t.AuthorId, t.DueAt, t.Id }, "ix_tasks_by_author").HasFilter(Live);
            task.HasIndex(t => new { t.DueAt, t.Id }, "ix_tasks_by_due").HasFilter(Live);
            // Everyone's list by status (an admin's): without the status first, open tasks would be found only
            // after walking the years of done ones that come before them in due order.
            task.HasIndex(t => new { t.Status, t.DueAt, t.Id }, "ix_tasks_by_status").HasFilter(Live);
            // "Done today".
            task.HasIndex(t => new { t.AssigneeId, t.CompletedAt }, "ix_tasks_done_by_assignee").HasFilter("deleted_at IS NULL AND status = 'Done'");
            // The reminder and overdue jobs: only what is still to be told is in these indexes.
            task.HasIndex(t => t.RemindAt, "ix_tasks_reminder_due").HasFilter(LiveOpen + " AND remind_at IS NOT NULL AND reminded_at IS NULL");
            task.HasIndex(t => t.OverdueAt, "ix_tasks_overdue_due").HasFilter(LiveOpen + " AND overdue_notified_at IS NULL");
            // A record's tasks (its card panel) and subtasks.
            task.HasIndex(t => new { t.LinkKind, t.LinkId, t.DueAt }, "ix_tasks_by_link").HasFilter(Live + " AND link_id IS NOT NULL");
            task.HasIndex(t => t.ParentId, "ix_tasks_subtasks").HasFilter("parent_id IS NOT NULL");
        });

        builder.Entity<Notification>(notification =>
        {
            notification.ToTable("notifications");
            notification.Property(n => n.Kind).HasMaxLength(Notification.KindLength);
            notification.Property(n => n.Subject).HasMaxLength(Notification.SubjectLength);
            notification.Property(n => n.Link).HasMaxLength(500);
            notification.Property(n => n.OnceKey).HasMaxLength(Notification.OnceKeyLength);
            notification.HasIndex(n => new { n.UserId, n.OnceKey }).IsUnique();
            notification.HasIndex(n => new { n.UserId, n.CreatedAt, n.Id }, "ix_notifications_by_user");
            notification.HasIndex(n => n.UserId, "ix_notifications_unread").HasFilter("read_at IS NULL");
        });

        builder.Entity<TaskOutboxMessage>(message =>
        {
            message.ToTable("outbox");
            message.Property(m => m.Kind).HasMaxLength(32);
            // The drain reads what is waiting, oldest first; processed rows stay out of the index.
            message.HasIndex(m => new { m.OccurredAt, m.Id }, "ix_outbox_pending").HasFilter("processed_at IS NULL");
        });

        builder.Entity<CalendarFeed>(feed =>
        {
            feed.ToTable("calendar_feeds");
            feed.HasKey(f => f.UserId);
            feed.Property(f => f.TokenHash).HasMaxLength(64);
            feed.HasIndex(f => f.TokenHash).IsUnique();
        });
    }
}
