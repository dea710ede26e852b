using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ScimBridge.Model.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OrganizationNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "OrganizationNumbers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Label = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrganizationNumbers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrganizationNumbers_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OrganizationNumbers_OrganizationId_Number",
                table: "OrganizationNumbers",
                columns: new[] { "OrganizationId", "Number" },
                unique: true);

            // Existing teams keep their base numbers: each becomes one of its organization's numbers.
            migrationBuilder.Sql("""
                INSERT INTO "OrganizationNumbers" ("Id", "OrganizationId", "Number", "Label", "AddedAt")
                SELECT gen_random_uuid(), t."OrganizationId", n, NULL, MIN(t."CreatedAt")
                FROM "Teams" t CROSS JOIN LATERAL unnest(t."BaseNumbers") AS n
                WHERE length(n) <= 16
                GROUP BY t."OrganizationId", n
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OrganizationNumbers");
        }
    }
}
