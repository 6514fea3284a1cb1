using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Tasks.Data.Migrations
{
    /// <inheritdoc />
    public partial class OriginKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "origin_key",
                schema: "tasks",
                table: "tasks",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_tasks_origin_key",
                schema: "tasks",
                table: "tasks",
                column: "origin_key",
                unique: true,
                filter: "origin_key IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tasks_origin_key",
                schema: "tasks",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "origin_key",
                schema: "tasks",
                table: "tasks");
        }
    }
}
