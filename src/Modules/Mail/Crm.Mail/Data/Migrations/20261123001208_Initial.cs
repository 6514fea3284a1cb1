using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Mail.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "mail");

            migrationBuilder.CreateTable(
                name: "accounts",
                schema: "mail",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    port = table.Column<int>(type: "integer", nullable: false),
                    tls = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    user_name = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    password_cipher = table.Column<string>(type: "text", nullable: true),
                    from_address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    from_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: true),
                    is_default = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_accounts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outgoing",
                schema: "mail",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: true),
                    to = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    cc = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    subject = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    html_body = table.Column<string>(type: "text", nullable: false),
                    text_body = table.Column<string>(type: "text", nullable: false),
                    record_kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    record_id = table.Column<Guid>(type: "uuid", nullable: true),
                    origin_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    failure_noted = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    enqueued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    claimed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_by = table.Column<Guid>(type: "uuid", nullable: true),
                    created_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    culture = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outgoing", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "templates",
                schema: "mail",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    subject = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    html_body = table.Column<string>(type: "text", nullable: false),
                    text_body = table.Column<string>(type: "text", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_templates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outgoing_attachments",
                schema: "mail",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    mail_id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    content_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outgoing_attachments", x => x.id);
                    table.ForeignKey(
                        name: "fk_outgoing_attachments_outgoing_mail_id",
                        column: x => x.mail_id,
                        principalSchema: "mail",
                        principalTable: "outgoing",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_accounts_is_default",
                schema: "mail",
                table: "accounts",
                column: "is_default",
                unique: true,
                filter: "is_default AND owner_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_accounts_owner_id",
                schema: "mail",
                table: "accounts",
                column: "owner_id");

            migrationBuilder.CreateIndex(
                name: "ix_outgoing_claimed_at",
                schema: "mail",
                table: "outgoing",
                column: "claimed_at",
                filter: "status = 'Sending'");

            migrationBuilder.CreateIndex(
                name: "ix_outgoing_enqueued_at",
                schema: "mail",
                table: "outgoing",
                column: "enqueued_at",
                filter: "status = 'Queued'");

            migrationBuilder.CreateIndex(
                name: "ix_outgoing_origin_key",
                schema: "mail",
                table: "outgoing",
                column: "origin_key",
                unique: true,
                filter: "origin_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outgoing_record_kind_record_id_created_at",
                schema: "mail",
                table: "outgoing",
                columns: new[] { "record_kind", "record_id", "created_at" },
                filter: "record_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outgoing_attachments_mail_id",
                schema: "mail",
                table: "outgoing_attachments",
                column: "mail_id");

            migrationBuilder.CreateIndex(
                name: "ix_templates_name",
                schema: "mail",
                table: "templates",
                column: "name");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "accounts",
                schema: "mail");

            migrationBuilder.DropTable(
                name: "outgoing_attachments",
                schema: "mail");

            migrationBuilder.DropTable(
                name: "templates",
                schema: "mail");

            migrationBuilder.DropTable(
                name: "outgoing",
                schema: "mail");
        }
    }
}
