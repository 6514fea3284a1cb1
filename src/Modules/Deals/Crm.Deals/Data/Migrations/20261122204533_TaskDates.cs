using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Deals.Data.Migrations
{
    /// <inheritdoc />
    public partial class TaskDates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_activity_at",
                schema: "deals",
                table: "deals",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "next_task_at",
                schema: "deals",
                table: "deals",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "last_activity_at",
                schema: "deals",
                table: "deals");

            migrationBuilder.DropColumn(
                name: "next_task_at",
                schema: "deals",
                table: "deals");
        }
    }
}
