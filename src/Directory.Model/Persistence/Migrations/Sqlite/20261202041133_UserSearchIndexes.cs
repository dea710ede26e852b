using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ScimBridge.Model.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UserSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Users_OrganizationId_Status",
                table: "Users",
                columns: new[] { "OrganizationId", "Status" });

            // The console's prefix search on names (see Admin/Users/Prefix.cs); EF Core's model cannot express these.
            migrationBuilder.Sql("CREATE INDEX \"IX_Users_Search_GivenName\" ON \"Users\" (\"OrganizationId\", upper(\"GivenName\"));");
            migrationBuilder.Sql("CREATE INDEX \"IX_Users_Search_FamilyName\" ON \"Users\" (\"OrganizationId\", upper(\"FamilyName\"));");
            migrationBuilder.Sql("CREATE INDEX \"IX_Users_Search_DisplayName\" ON \"Users\" (\"OrganizationId\", upper(\"DisplayName\"));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_Users_Search_GivenName\";");
            migrationBuilder.Sql("DROP INDEX \"IX_Users_Search_FamilyName\";");
            migrationBuilder.Sql("DROP INDEX \"IX_Users_Search_DisplayName\";");
            migrationBuilder.DropIndex(
                name: "IX_Users_OrganizationId_Status",
                table: "Users");
        }
    }
}
