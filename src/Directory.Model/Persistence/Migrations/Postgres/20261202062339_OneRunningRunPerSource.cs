using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ScimBridge.Model.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OneRunningRunPerSource : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Runs left Running by a process that died before leases existed: all but the latest of a source are abandoned.
            migrationBuilder.Sql("""
                UPDATE "SyncRuns" SET "Status" = 'Abandoned'
                WHERE "Status" = 'Running'
                  AND "Id" NOT IN (SELECT MAX("Id") FROM "SyncRuns" WHERE "Status" = 'Running' GROUP BY "Source")
                """);
            migrationBuilder.CreateIndex(
                name: "IX_SyncRuns_Source_Running",
                table: "SyncRuns",
                column: "Source",
                unique: true,
                filter: "\"Status\" = 'Running'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SyncRuns_Source_Running",
                table: "SyncRuns");
        }
    }
}
