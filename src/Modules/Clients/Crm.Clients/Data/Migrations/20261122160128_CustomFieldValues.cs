using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Clients.Data.Migrations
{
    /// <inheritdoc />
    public partial class CustomFieldValues : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.CreateIndex(
                name: "ix_leads_custom_fields",
                schema: "clients",
                table: "leads",
                column: "custom_fields")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_contacts_custom_fields",
                schema: "clients",
                table: "contacts",
                column: "custom_fields")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_companies_custom_fields",
                schema: "clients",
                table: "companies",
                column: "custom_fields")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_leads_custom_fields",
                schema: "clients",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_contacts_custom_fields",
                schema: "clients",
                table: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_companies_custom_fields",
                schema: "clients",
                table: "companies");

            migrationBuilder.DropColumn(
                name: "custom_field",
                schema: "clients",
                table: "segments");

            migrationBuilder.DropColumn(
                name: "custom_value",
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
