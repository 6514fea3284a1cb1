using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Clients.Data.Migrations
{
    /// <inheritdoc />
    public partial class LeadConversion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "converted_at",
                schema: "clients",
                table: "leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "converted_company_id",
                schema: "clients",
                table: "leads",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "converted_contact_id",
                schema: "clients",
                table: "leads",
                type: "uuid",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "converted_at",
                schema: "clients",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "converted_company_id",
                schema: "clients",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "converted_contact_id",
                schema: "clients",
                table: "leads");
        }
    }
}
