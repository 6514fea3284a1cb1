using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Deals.Data.Migrations
{
    /// <inheritdoc />
    public partial class StalledMark : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameIndex(
                name: "ix_stage_history_deal_id",
                schema: "deals",
                table: "stage_history",
                newName: "ix_stage_history_deal_id1");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "stalled_at",
                schema: "deals",
                table: "stage_history",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_stage_history_deal_id",
                schema: "deals",
                table: "stage_history",
                column: "deal_id",
                filter: "left_at IS NULL AND stalled_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_stage_history_deal_id",
                schema: "deals",
                table: "stage_history");

            migrationBuilder.DropColumn(
                name: "stalled_at",
                schema: "deals",
                table: "stage_history");

            migrationBuilder.RenameIndex(
                name: "ix_stage_history_deal_id1",
                schema: "deals",
                table: "stage_history",
                newName: "ix_stage_history_deal_id");
        }
    }
}
