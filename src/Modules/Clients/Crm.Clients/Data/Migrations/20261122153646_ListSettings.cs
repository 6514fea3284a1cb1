using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Clients.Data.Migrations
{
    /// <inheritdoc />
    public partial class ListSettings : Migration
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
                name: "ix_companies_updated_at_id",
                schema: "clients",
                table: "companies",
                columns: new[] { "updated_at", "id" },
                filter: "deleted_at IS NULL");

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
                name: "list_settings",
                schema: "clients");

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
                name: "ix_leads_updated_at_id",
                schema: "clients",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_contacts_created_at_id",
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
                name: "ix_contacts_updated_at_id",
                schema: "clients",
                table: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_companies_created_at_id",
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
                name: "updated_from",
                schema: "clients",
                table: "segments");

            migrationBuilder.DropColumn(
                name: "updated_to",
                schema: "clients",
                table: "segments");
        }
    }
}
