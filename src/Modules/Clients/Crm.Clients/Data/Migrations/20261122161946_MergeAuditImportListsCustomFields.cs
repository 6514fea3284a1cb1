using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Clients.Data.Migrations
{
    /// <inheritdoc />
    public partial class MergeAuditImportListsCustomFields : Migration
    {
        private static readonly string[] ActivityTables = ["companies", "contacts", "leads"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "created_from",
                schema: "clients",
                table: "segments",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "created_to",
                schema: "clients",
                table: "segments",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "custom_field",
                schema: "clients",
                table: "segments",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "custom_value",
                schema: "clients",
                table: "segments",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "updated_from",
                schema: "clients",
                table: "segments",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "updated_to",
                schema: "clients",
                table: "segments",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<JsonDocument>(
                name: "custom_fields",
                schema: "clients",
                table: "leads",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<JsonDocument>(
                name: "custom_fields",
                schema: "clients",
                table: "contacts",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<JsonDocument>(
                name: "custom_fields",
                schema: "clients",
                table: "companies",
                type: "jsonb",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_log",
                schema: "clients",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    user_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    record_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    record_id = table.Column<Guid>(type: "uuid", nullable: true),
                    count = table.Column<int>(type: "integer", nullable: true),
                    summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "imports",
                schema: "clients",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    culture = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    file_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    format = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    storage_path = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    file_size = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    duplicates = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    key = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    default_owner_id = table.Column<Guid>(type: "uuid", nullable: true),
                    columns = table.Column<string>(type: "jsonb", nullable: false),
                    total = table.Column<int>(type: "integer", nullable: false),
                    processed = table.Column<int>(type: "integer", nullable: false),
                    imported = table.Column<int>(type: "integer", nullable: false),
                    updated = table.Column<int>(type: "integer", nullable: false),
                    skipped = table.Column<int>(type: "integer", nullable: false),
                    rejected = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_imports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "list_settings",
                schema: "clients",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    columns = table.Column<List<string>>(type: "text[]", nullable: true),
                    sort = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_list_settings", x => new { x.user_id, x.kind });
                });

            migrationBuilder.CreateTable(
                name: "merged_records",
                schema: "clients",
                columns: table => new
                {
                    removed_id = table.Column<Guid>(type: "uuid", nullable: false),
                    survivor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    merged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    merged_by = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_merged_records", x => x.removed_id);
                });

            migrationBuilder.CreateTable(
                name: "import_rejections",
                schema: "clients",
                columns: table => new
                {
                    import_id = table.Column<Guid>(type: "uuid", nullable: false),
                    row_number = table.Column<int>(type: "integer", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false),
                    cells = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_import_rejections", x => new { x.import_id, x.row_number });
                    table.ForeignKey(
                        name: "fk_import_rejections_imports_import_id",
                        column: x => x.import_id,
                        principalSchema: "clients",
                        principalTable: "imports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_leads_custom_fields",
                schema: "clients",
                table: "leads",
                column: "custom_fields")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_leads_name_id",
                schema: "clients",
                table: "leads",
                columns: new[] { "name", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_leads_owner_department_id_name_id",
                schema: "clients",
                table: "leads",
                columns: new[] { "owner_department_id", "name", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_leads_owner_department_id_updated_at_id",
                schema: "clients",
                table: "leads",
                columns: new[] { "owner_department_id", "updated_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_leads_owner_id_name_id",
                schema: "clients",
                table: "leads",
                columns: new[] { "owner_id", "name", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_leads_owner_id_updated_at_id",
                schema: "clients",
                table: "leads",
                columns: new[] { "owner_id", "updated_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_leads_phone",
                schema: "clients",
                table: "leads",
                column: "phone");

            migrationBuilder.CreateIndex(
                name: "ix_leads_updated_at_id",
                schema: "clients",
                table: "leads",
                columns: new[] { "updated_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_created_at_id",
                schema: "clients",
                table: "contacts",
                columns: new[] { "created_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_custom_fields",
                schema: "clients",
                table: "contacts",
                column: "custom_fields")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_contacts_emails",
                schema: "clients",
                table: "contacts",
                column: "emails")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", false);

            migrationBuilder.CreateIndex(
                name: "ix_contacts_owner_department_id_created_at_id",
                schema: "clients",
                table: "contacts",
                columns: new[] { "owner_department_id", "created_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_owner_department_id_updated_at_id",
                schema: "clients",
                table: "contacts",
                columns: new[] { "owner_department_id", "updated_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_owner_id_created_at_id",
                schema: "clients",
                table: "contacts",
                columns: new[] { "owner_id", "created_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_owner_id_updated_at_id",
                schema: "clients",
                table: "contacts",
                columns: new[] { "owner_id", "updated_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_phones",
                schema: "clients",
                table: "contacts",
                column: "phones")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", false);

            migrationBuilder.CreateIndex(
                name: "ix_contacts_updated_at_id",
                schema: "clients",
                table: "contacts",
                columns: new[] { "updated_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_companies_created_at_id",
                schema: "clients",
                table: "companies",
                columns: new[] { "created_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_companies_custom_fields",
                schema: "clients",
                table: "companies",
                column: "custom_fields")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_companies_emails",
                schema: "clients",
                table: "companies",
                column: "emails")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", false);

            migrationBuilder.CreateIndex(
                name: "ix_companies_owner_department_id_created_at_id",
                schema: "clients",
                table: "companies",
                columns: new[] { "owner_department_id", "created_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_companies_owner_department_id_updated_at_id",
                schema: "clients",
                table: "companies",
                columns: new[] { "owner_department_id", "updated_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_companies_owner_id_created_at_id",
                schema: "clients",
                table: "companies",
                columns: new[] { "owner_id", "created_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_companies_owner_id_updated_at_id",
                schema: "clients",
                table: "companies",
                columns: new[] { "owner_id", "updated_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_companies_phones",
                schema: "clients",
                table: "companies",
                column: "phones")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", false);

            migrationBuilder.CreateIndex(
                name: "ix_companies_updated_at_id",
                schema: "clients",
                table: "companies",
                columns: new[] { "updated_at", "id" },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_at_id",
                schema: "clients",
                table: "audit_log",
                columns: new[] { "at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_record_id",
                schema: "clients",
                table: "audit_log",
                column: "record_id");

            migrationBuilder.CreateIndex(
                name: "ix_imports_user_id_kind_created_at",
                schema: "clients",
                table: "imports",
                columns: new[] { "user_id", "kind", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_merged_records_survivor_id",
                schema: "clients",
                table: "merged_records",
                column: "survivor_id");

            // "Last activity" sorts by COALESCE(last_activity_at, created_at) (a record never touched sorts
            // by its creation): expression indexes in the three scope shapes, which EF cannot model.
            foreach (var table in ActivityTables)
            {
                migrationBuilder.Sql($"CREATE INDEX ix_{table}_activity_id ON clients.{table} ((COALESCE(last_activity_at, created_at)), id) WHERE deleted_at IS NULL;");
                migrationBuilder.Sql($"CREATE INDEX ix_{table}_owner_id_activity_id ON clients.{table} (owner_id, (COALESCE(last_activity_at, created_at)), id) WHERE deleted_at IS NULL;");
                migrationBuilder.Sql($"CREATE INDEX ix_{table}_owner_department_id_activity_id ON clients.{table} (owner_department_id, (COALESCE(last_activity_at, created_at)), id) WHERE deleted_at IS NULL;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in ActivityTables)
            {
                migrationBuilder.Sql($"DROP INDEX clients.ix_{table}_activity_id; DROP INDEX clients.ix_{table}_owner_id_activity_id; DROP INDEX clients.ix_{table}_owner_department_id_activity_id;");
            }

            migrationBuilder.DropTable(
                name: "audit_log",
                schema: "clients");

            migrationBuilder.DropTable(
                name: "import_rejections",
                schema: "clients");

            migrationBuilder.DropTable(
                name: "list_settings",
                schema: "clients");

            migrationBuilder.DropTable(
                name: "merged_records",
                schema: "clients");

            migrationBuilder.DropTable(
                name: "imports",
                schema: "clients");

            migrationBuilder.DropIndex(
                name: "ix_leads_custom_fields",
                schema: "clients",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_leads_name_id",
                schema: "clients",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_leads_owner_department_id_name_id",
                schema: "clients",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_leads_owner_department_id_updated_at_id",
                schema: "clients",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_leads_owner_id_name_id",
                schema: "clients",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_leads_owner_id_updated_at_id",
                schema: "clients",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_leads_phone",
                schema: "clients",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_leads_updated_at_id",
                schema: "clients",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_contacts_created_at_id",
                schema: "clients",
                table: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_contacts_custom_fields",
                schema: "clients",
                table: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_contacts_emails",
                schema: "clients",
                table: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_contacts_owner_department_id_created_at_id",
                schema: "clients",
                table: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_contacts_owner_department_id_updated_at_id",
                schema: "clients",
                table: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_contacts_owner_id_created_at_id",
                schema: "clients",
                table: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_contacts_owner_id_updated_at_id",
                schema: "clients",
                table: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_contacts_phones",
                schema: "clients",
                table: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_contacts_updated_at_id",
                schema: "clients",
                table: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_companies_created_at_id",
                schema: "clients",
                table: "companies");

            migrationBuilder.DropIndex(
                name: "ix_companies_custom_fields",
                schema: "clients",
                table: "companies");

            migrationBuilder.DropIndex(
                name: "ix_companies_emails",
                schema: "clients",
                table: "companies");

            migrationBuilder.DropIndex(
                name: "ix_companies_owner_department_id_created_at_id",
                schema: "clients",
                table: "companies");

            migrationBuilder.DropIndex(
                name: "ix_companies_owner_department_id_updated_at_id",
                schema: "clients",
                table: "companies");

            migrationBuilder.DropIndex(
                name: "ix_companies_owner_id_created_at_id",
                schema: "clients",
                table: "companies");

            migrationBuilder.DropIndex(
                name: "ix_companies_owner_id_updated_at_id",
                schema: "clients",
                table: "companies");

            migrationBuilder.DropIndex(
                name: "ix_companies_phones",
                schema: "clients",
                table: "companies");

            migrationBuilder.DropIndex(
                name: "ix_companies_updated_at_id",
                schema: "clients",
                table: "companies");

            migrationBuilder.DropColumn(
                name: "created_from",
                schema: "clients",
                table: "segments");

            migrationBuilder.DropColumn(
                name: "created_to",
                schema: "clients",
                table: "segments");

            migrationBuilder.DropColumn(
                name: "custom_field",
                schema: "clients",
                table: "segments");

            migrationBuilder.DropColumn(
                name: "custom_value",
                schema: "clients",
                table: "segments");

            migrationBuilder.DropColumn(
                name: "updated_from",
                schema: "clients",
                table: "segments");

            migrationBuilder.DropColumn(
                name: "updated_to",
                schema: "clients",
                table: "segments");

            migrationBuilder.DropColumn(
                name: "custom_fields",
                schema: "clients",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "custom_fields",
                schema: "clients",
                table: "contacts");

            migrationBuilder.DropColumn(
                name: "custom_fields",
                schema: "clients",
                table: "companies");
        }
    }
}
