using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ScimBridge.Model.Persistence.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                INSERT INTO OrganizationNumbers (Id, OrganizationId, Number, Label, AddedAt)
                SELECT upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6))),
                       t.OrganizationId, n.value, NULL, MIN(t.CreatedAt)
                FROM Teams t, json_each(t.BaseNumbers) n
                WHERE length(n.value) <= 16
                GROUP BY t.OrganizationId, n.value
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
