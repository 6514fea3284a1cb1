using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Tasks.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "tasks");

            migrationBuilder.CreateTable(
                name: "calendar_feeds",
                schema: "tasks",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    token_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_calendar_feeds", x => x.user_id);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                schema: "tasks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    link = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    once_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    read_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notifications", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tasks",
                schema: "tasks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    priority = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    assignee_id = table.Column<Guid>(type: "uuid", nullable: false),
                    assignee_department_id = table.Column<Guid>(type: "uuid", nullable: false),
                    author_id = table.Column<Guid>(type: "uuid", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    all_day = table.Column<bool>(type: "boolean", nullable: false),
                    duration_minutes = table.Column<int>(type: "integer", nullable: true),
                    reminder_minutes = table.Column<int>(type: "integer", nullable: true),
                    remind_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reminded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    overdue_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    overdue_notified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    link_kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    link_id = table.Column<Guid>(type: "uuid", nullable: true),
                    link_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    parent_id = table.Column<Guid>(type: "uuid", nullable: true),
                    tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    result = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_by_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tasks", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_calendar_feeds_token_hash",
                schema: "tasks",
                table: "calendar_feeds",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_notifications_user_id",
                schema: "tasks",
                table: "notifications",
                column: "user_id",
                filter: "read_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_user_id_created_at_id",
                schema: "tasks",
                table: "notifications",
                columns: new[] { "user_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_user_id_once_key",
                schema: "tasks",
                table: "notifications",
                columns: new[] { "user_id", "once_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tasks_assignee_department_id_due_at_id",
                schema: "tasks",
                table: "tasks",
                columns: new[] { "assignee_department_id", "due_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_assignee_department_id_due_at_id1",
                schema: "tasks",
                table: "tasks",
                columns: new[] { "assignee_department_id", "due_at", "id" },
                filter: "deleted_at IS NULL AND status = 'Open'")
                .Annotation("Npgsql:IndexInclude", new[] { "assignee_id", "overdue_at" });

            migrationBuilder.CreateIndex(
                name: "ix_tasks_assignee_id_completed_at",
                schema: "tasks",
                table: "tasks",
                columns: new[] { "assignee_id", "completed_at" },
                filter: "deleted_at IS NULL AND status = 'Done'");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_assignee_id_due_at_id",
                schema: "tasks",
                table: "tasks",
                columns: new[] { "assignee_id", "due_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_assignee_id_due_at_id1",
                schema: "tasks",
                table: "tasks",
                columns: new[] { "assignee_id", "due_at", "id" },
                filter: "deleted_at IS NULL AND status = 'Open'")
                .Annotation("Npgsql:IndexInclude", new[] { "overdue_at", "assignee_department_id" });

            migrationBuilder.CreateIndex(
                name: "ix_tasks_author_id_due_at_id",
                schema: "tasks",
                table: "tasks",
                columns: new[] { "author_id", "due_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_author_id_due_at_id1",
                schema: "tasks",
                table: "tasks",
                columns: new[] { "author_id", "due_at", "id" },
                filter: "deleted_at IS NULL AND status = 'Open'");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_due_at_id",
                schema: "tasks",
                table: "tasks",
                columns: new[] { "due_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_link_kind_link_id_due_at",
                schema: "tasks",
                table: "tasks",
                columns: new[] { "link_kind", "link_id", "due_at" },
                filter: "deleted_at IS NULL AND link_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_overdue_at",
                schema: "tasks",
                table: "tasks",
                column: "overdue_at",
                filter: "deleted_at IS NULL AND status = 'Open' AND overdue_notified_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_parent_id",
                schema: "tasks",
                table: "tasks",
                column: "parent_id",
                filter: "parent_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_remind_at",
                schema: "tasks",
                table: "tasks",
                column: "remind_at",
                filter: "deleted_at IS NULL AND status = 'Open' AND remind_at IS NOT NULL AND reminded_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_status_due_at_id",
                schema: "tasks",
                table: "tasks",
                columns: new[] { "status", "due_at", "id" },
                filter: "deleted_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "calendar_feeds",
                schema: "tasks");

            migrationBuilder.DropTable(
                name: "notifications",
                schema: "tasks");

            migrationBuilder.DropTable(
                name: "tasks",
                schema: "tasks");
        }
    }
}
