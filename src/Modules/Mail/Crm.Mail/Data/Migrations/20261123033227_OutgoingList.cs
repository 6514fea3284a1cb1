using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Mail.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutgoingList : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateIndex(
                name: "ix_outgoing_created",
                schema: "mail",
                table: "outgoing",
                columns: new[] { "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_outgoing_status_created",
                schema: "mail",
                table: "outgoing",
                columns: new[] { "status", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_outgoing_subject_trgm",
                schema: "mail",
                table: "outgoing",
                column: "subject")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_outgoing_to_trgm",
                schema: "mail",
                table: "outgoing",
                column: "to")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outgoing_created",
                schema: "mail",
                table: "outgoing");

            migrationBuilder.DropIndex(
                name: "ix_outgoing_status_created",
                schema: "mail",
                table: "outgoing");

            migrationBuilder.DropIndex(
                name: "ix_outgoing_subject_trgm",
                schema: "mail",
                table: "outgoing");

            migrationBuilder.DropIndex(
                name: "ix_outgoing_to_trgm",
                schema: "mail",
                table: "outgoing");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}
