using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Automation.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "automation");

            migrationBuilder.CreateTable(
                name: "action_runs",
                schema: "automation",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    definition = table.Column<string>(type: "jsonb", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    outcome = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_action_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "runs",
                schema: "automation",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    scenario_id = table.Column<Guid>(type: "uuid", nullable: false),
                    scenario_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    trigger = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stage_id = table.Column<Guid>(type: "uuid", nullable: false),
                    depth = table.Column<int>(type: "integer", nullable: false),
                    actor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    triggered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "scenarios",
                schema: "automation",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    trigger = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    pipeline_id = table.Column<Guid>(type: "uuid", nullable: true),
                    stage_id = table.Column<Guid>(type: "uuid", nullable: true),
                    conditions = table.Column<string>(type: "jsonb", nullable: false),
                    actions = table.Column<string>(type: "jsonb", nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    run_as_user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scenarios", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_action_runs_due_at",
                schema: "automation",
                table: "action_runs",
                column: "due_at",
                filter: "status IN ('queued', 'running', 'retrying')");

            migrationBuilder.CreateIndex(
                name: "ix_action_runs_key",
                schema: "automation",
                table: "action_runs",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_action_runs_run_id_position",
                schema: "automation",
                table: "action_runs",
                columns: new[] { "run_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_runs_created_at",
                schema: "automation",
                table: "runs",
                column: "created_at",
                filter: "status IN ('queued', 'running')");

            migrationBuilder.CreateIndex(
                name: "ix_runs_created_at_id",
                schema: "automation",
                table: "runs",
                columns: new[] { "created_at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_runs_deal_id_created_at",
                schema: "automation",
                table: "runs",
                columns: new[] { "deal_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_runs_scenario_id_event_id",
                schema: "automation",
                table: "runs",
                columns: new[] { "scenario_id", "event_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_scenarios_trigger_pipeline_id",
                schema: "automation",
                table: "scenarios",
                columns: new[] { "trigger", "pipeline_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "action_runs",
                schema: "automation");

            migrationBuilder.DropTable(
                name: "runs",
                schema: "automation");

            migrationBuilder.DropTable(
                name: "scenarios",
                schema: "automation");
        }
    }
}
