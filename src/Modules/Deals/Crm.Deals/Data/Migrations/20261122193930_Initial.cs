using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Deals.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "deals");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateTable(
                name: "attachments",
                schema: "deals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    content_type = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    storage_path = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    uploaded_by = table.Column<Guid>(type: "uuid", nullable: true),
                    uploaded_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_attachments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_log",
                schema: "deals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    user_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: true),
                    count = table.Column<int>(type: "integer", nullable: true),
                    summary = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "deals",
                schema: "deals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    pipeline_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stage_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stage_entered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    company_id = table.Column<Guid>(type: "uuid", nullable: true),
                    company_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    contact_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    lead_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lead_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    amount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    expected_close = table.Column<DateOnly>(type: "date", nullable: true),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner_department_id = table.Column<Guid>(type: "uuid", nullable: false),
                    probability = table.Column<int>(type: "integer", nullable: true),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    payment_form = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    delivery = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    loss_reason_id = table.Column<Guid>(type: "uuid", nullable: true),
                    loss_comment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    custom_fields = table.Column<JsonDocument>(type: "jsonb", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deals", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "list_settings",
                schema: "deals",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    columns = table.Column<List<string>>(type: "text[]", nullable: true),
                    sort = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_list_settings", x => x.user_id);
                });

            migrationBuilder.CreateTable(
                name: "loss_reasons",
                schema: "deals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    is_archived = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_loss_reasons", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "number_counters",
                schema: "deals",
                columns: table => new
                {
                    year = table.Column<int>(type: "integer", nullable: false),
                    last = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_number_counters", x => x.year);
                });

            migrationBuilder.CreateTable(
                name: "pipelines",
                schema: "deals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    allow_back = table.Column<bool>(type: "boolean", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pipelines", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stage_history",
                schema: "deals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    pipeline_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stage_id = table.Column<Guid>(type: "uuid", nullable: false),
                    entered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    entered_by = table.Column<Guid>(type: "uuid", nullable: true),
                    left_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    left_by = table.Column<Guid>(type: "uuid", nullable: true),
                    channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    forced = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stage_history", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "timeline_entries",
                schema: "deals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    subject = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    text = table.Column<string>(type: "text", nullable: true),
                    author_id = table.Column<Guid>(type: "uuid", nullable: true),
                    author_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_timeline_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "line_items",
                schema: "deals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    quantity = table.Column<decimal>(type: "numeric(18,3)", precision: 18, scale: 3, nullable: false),
                    unit = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    price = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    discount_percent = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: false),
                    vat_rate = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_line_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_line_items_deals_deal_id",
                        column: x => x.deal_id,
                        principalSchema: "deals",
                        principalTable: "deals",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "stages",
                schema: "deals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    pipeline_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    color = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    kind = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    is_pause = table.Column<bool>(type: "boolean", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    time_limit_days = table.Column<int>(type: "integer", nullable: true),
                    probability = table.Column<int>(type: "integer", nullable: false),
                    required_fields = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stages", x => x.id);
                    table.ForeignKey(
                        name: "fk_stages_pipelines_pipeline_id",
                        column: x => x.pipeline_id,
                        principalSchema: "deals",
                        principalTable: "pipelines",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_attachments_deal_id_created_at",
                schema: "deals",
                table: "attachments",
                columns: new[] { "deal_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_at_id",
                schema: "deals",
                table: "audit_log",
                columns: new[] { "at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_deal_id",
                schema: "deals",
                table: "audit_log",
                column: "deal_id");

            migrationBuilder.CreateIndex(
                name: "ix_deals_company_id",
                schema: "deals",
                table: "deals",
                column: "company_id");

            migrationBuilder.CreateIndex(
                name: "ix_deals_contact_id",
                schema: "deals",
                table: "deals",
                column: "contact_id");

            migrationBuilder.CreateIndex(
                name: "ix_deals_created_at_id",
                schema: "deals",
                table: "deals",
                columns: new[] { "created_at", "id" },
                descending: new bool[0],
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_deals_custom_fields",
                schema: "deals",
                table: "deals",
                column: "custom_fields")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_deals_lead_id",
                schema: "deals",
                table: "deals",
                column: "lead_id");

            migrationBuilder.CreateIndex(
                name: "ix_deals_owner_department_id_created_at_id",
                schema: "deals",
                table: "deals",
                columns: new[] { "owner_department_id", "created_at", "id" },
                descending: new[] { false, true, true },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_deals_owner_department_id_stage_id_stage_entered_at_id",
                schema: "deals",
                table: "deals",
                columns: new[] { "owner_department_id", "stage_id", "stage_entered_at", "id" },
                descending: new[] { false, false, true, true },
                filter: "deleted_at IS NULL")
                .Annotation("Npgsql:IndexInclude", new[] { "amount", "currency" });

            migrationBuilder.CreateIndex(
                name: "ix_deals_owner_id_created_at_id",
                schema: "deals",
                table: "deals",
                columns: new[] { "owner_id", "created_at", "id" },
                descending: new[] { false, true, true },
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_deals_owner_id_stage_id_stage_entered_at_id",
                schema: "deals",
                table: "deals",
                columns: new[] { "owner_id", "stage_id", "stage_entered_at", "id" },
                descending: new[] { false, false, true, true },
                filter: "deleted_at IS NULL")
                .Annotation("Npgsql:IndexInclude", new[] { "amount", "currency" });

            migrationBuilder.CreateIndex(
                name: "ix_deals_stage_id_stage_entered_at_id",
                schema: "deals",
                table: "deals",
                columns: new[] { "stage_id", "stage_entered_at", "id" },
                descending: new[] { false, true, true },
                filter: "deleted_at IS NULL")
                .Annotation("Npgsql:IndexInclude", new[] { "amount", "currency" });

            migrationBuilder.CreateIndex(
                name: "ix_deals_title",
                schema: "deals",
                table: "deals",
                column: "title")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_deals_year_number",
                schema: "deals",
                table: "deals",
                columns: new[] { "year", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_line_items_deal_id_position",
                schema: "deals",
                table: "line_items",
                columns: new[] { "deal_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_stage_history_deal_id",
                schema: "deals",
                table: "stage_history",
                column: "deal_id",
                unique: true,
                filter: "left_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_stage_history_deal_id_entered_at",
                schema: "deals",
                table: "stage_history",
                columns: new[] { "deal_id", "entered_at" });

            migrationBuilder.CreateIndex(
                name: "ix_stage_history_pipeline_id_entered_at",
                schema: "deals",
                table: "stage_history",
                columns: new[] { "pipeline_id", "entered_at" });

            migrationBuilder.CreateIndex(
                name: "ix_stages_pipeline_id_position",
                schema: "deals",
                table: "stages",
                columns: new[] { "pipeline_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_timeline_entries_deal_id_created_at",
                schema: "deals",
                table: "timeline_entries",
                columns: new[] { "deal_id", "created_at" });

            // Published for the Reports module (ARCHITECTURE.md rule 6): keep these columns and their meaning
            // stable; add columns at the end if ever needed. One row per stay of a deal in a stage; left_at is
            // null for the current stay. owner_id and amount are the deal's current ones.
            migrationBuilder.Sql("""
                CREATE VIEW deals.v_stage_history AS
                SELECT h.deal_id, h.pipeline_id, h.stage_id, h.entered_at, h.left_at, d.owner_id, d.amount, d.currency
                FROM deals.stage_history h
                JOIN deals.deals d ON d.id = h.deal_id
                WHERE d.deleted_at IS NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW IF EXISTS deals.v_stage_history;");

            migrationBuilder.DropTable(
                name: "attachments",
                schema: "deals");

            migrationBuilder.DropTable(
                name: "audit_log",
                schema: "deals");

            migrationBuilder.DropTable(
                name: "line_items",
                schema: "deals");

            migrationBuilder.DropTable(
                name: "list_settings",
                schema: "deals");

            migrationBuilder.DropTable(
                name: "loss_reasons",
                schema: "deals");

            migrationBuilder.DropTable(
                name: "number_counters",
                schema: "deals");

            migrationBuilder.DropTable(
                name: "stage_history",
                schema: "deals");

            migrationBuilder.DropTable(
                name: "stages",
                schema: "deals");

            migrationBuilder.DropTable(
                name: "timeline_entries",
                schema: "deals");

            migrationBuilder.DropTable(
                name: "deals",
                schema: "deals");

            migrationBuilder.DropTable(
                name: "pipelines",
                schema: "deals");
        }
    }
}
