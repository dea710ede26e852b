using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ScimBridge.Model.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ListOrderIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Users_OrganizationId_DeletedAt_CreatedAt_Id",
                table: "Users",
                columns: new[] { "OrganizationId", "DeletedAt", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Groups_OrganizationId_DeletedAt_CreatedAt_Id",
                table: "Groups",
                columns: new[] { "OrganizationId", "DeletedAt", "CreatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Users_OrganizationId_DeletedAt_CreatedAt_Id",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Groups_OrganizationId_DeletedAt_CreatedAt_Id",
                table: "Groups");
        }
    }
}
