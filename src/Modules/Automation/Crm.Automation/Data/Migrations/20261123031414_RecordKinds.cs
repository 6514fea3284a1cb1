using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Automation.Data.Migrations
{
    /// <inheritdoc />
    public partial class RecordKinds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_runs_deal_id_created_at",
                schema: "automation",
                table: "runs");

            migrationBuilder.AlterColumn<Guid>(
                name: "deal_id",
                schema: "automation",
                table: "runs",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "record_id",
                schema: "automation",
                table: "runs",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<string>(
                name: "record_kind",
                schema: "automation",
                table: "runs",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "deal");

            migrationBuilder.AlterColumn<Guid>(
                name: "deal_id",
                schema: "automation",
                table: "action_runs",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "record_id",
                schema: "automation",
                table: "action_runs",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<string>(
                name: "record_kind",
                schema: "automation",
                table: "action_runs",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "deal");

            // Every run before record kinds was a deal's: its record is its deal.
            migrationBuilder.Sql("UPDATE automation.runs SET record_id = deal_id WHERE deal_id IS NOT NULL");
            migrationBuilder.Sql("UPDATE automation.action_runs SET record_id = deal_id WHERE deal_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_runs_record_kind_record_id_created_at",
                schema: "automation",
                table: "runs",
                columns: new[] { "record_kind", "record_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Runs on leads and tasks have no deal: they cannot stay in a log of deals' runs.
            migrationBuilder.Sql("DELETE FROM automation.action_runs WHERE deal_id IS NULL");
            migrationBuilder.Sql("DELETE FROM automation.runs WHERE deal_id IS NULL");

            migrationBuilder.DropIndex(
                name: "ix_runs_record_kind_record_id_created_at",
                schema: "automation",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "record_id",
                schema: "automation",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "record_kind",
                schema: "automation",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "record_id",
                schema: "automation",
                table: "action_runs");

            migrationBuilder.DropColumn(
                name: "record_kind",
                schema: "automation",
                table: "action_runs");

            migrationBuilder.AlterColumn<Guid>(
                name: "deal_id",
                schema: "automation",
                table: "runs",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "deal_id",
                schema: "automation",
                table: "action_runs",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_runs_deal_id_created_at",
                schema: "automation",
                table: "runs",
                columns: new[] { "deal_id", "created_at" });
        }
    }
}
