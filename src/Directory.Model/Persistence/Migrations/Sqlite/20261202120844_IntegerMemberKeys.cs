using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ScimBridge.Model.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// Group member rows by small integer keys: users and groups get numbers in MemberKeys the first time they appear in
    /// a member row, and GroupMembers stores (GroupKey, MemberKey) in a WITHOUT ROWID table. Written by hand, so that
    /// the existing memberships are carried over.
    /// </summary>
    public partial class IntegerMemberKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MemberKeys",
                columns: table => new
                {
                    Key = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EntityId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberKeys", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MemberKeys_EntityId",
                table: "MemberKeys",
                column: "EntityId",
                unique: true);

            // Every id in a member row gets its number: groups first, then the members that are not groups, in id order.
            migrationBuilder.Sql("""
                INSERT INTO "MemberKeys" ("EntityId") SELECT DISTINCT "GroupId" FROM "GroupMembers" ORDER BY "GroupId"
                """);

            migrationBuilder.Sql("""
                INSERT OR IGNORE INTO "MemberKeys" ("EntityId") SELECT DISTINCT "MemberId" FROM "GroupMembers" ORDER BY "MemberId"
                """);

            // The rows by numbers, copied in key order; then the new table takes the old one's place.
            migrationBuilder.Sql("""
                CREATE TABLE "GroupMembers_new" (
                    "GroupKey" INTEGER NOT NULL,
                    "MemberKey" INTEGER NOT NULL,
                    "MemberType" INTEGER NOT NULL,
                    "AddedAt" INTEGER NOT NULL,
                    CONSTRAINT "PK_GroupMembers" PRIMARY KEY ("GroupKey", "MemberKey")
                ) WITHOUT ROWID
                """);

            migrationBuilder.Sql("""
                INSERT INTO "GroupMembers_new" ("GroupKey", "MemberKey", "MemberType", "AddedAt")
                SELECT g."Key", k."Key", CASE m."MemberType" WHEN 'Group' THEN 1 ELSE 0 END, m."AddedAt"
                FROM "GroupMembers" m
                JOIN "MemberKeys" g ON g."EntityId" = m."GroupId"
                JOIN "MemberKeys" k ON k."EntityId" = m."MemberId"
                ORDER BY g."Key", k."Key"
                """);

            migrationBuilder.Sql("""
                DROP TABLE "GroupMembers"
                """);

            migrationBuilder.Sql("""
                ALTER TABLE "GroupMembers_new" RENAME TO "GroupMembers"
                """);

            migrationBuilder.CreateIndex(
                name: "IX_GroupMembers_MemberKey",
                table: "GroupMembers",
                column: "MemberKey");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "GroupMembers_old" (
                    "GroupId" TEXT NOT NULL,
                    "MemberId" TEXT NOT NULL,
                    "MemberType" TEXT NOT NULL,
                    "AddedAt" INTEGER NOT NULL,
                    CONSTRAINT "PK_GroupMembers" PRIMARY KEY ("GroupId", "MemberId"),
                    CONSTRAINT "FK_GroupMembers_Groups_GroupId" FOREIGN KEY ("GroupId") REFERENCES "Groups" ("Id") ON DELETE CASCADE
                )
                """);

            migrationBuilder.Sql("""
                INSERT INTO "GroupMembers_old" ("GroupId", "MemberId", "MemberType", "AddedAt")
                SELECT g."EntityId", k."EntityId", CASE m."MemberType" WHEN 1 THEN 'Group' ELSE 'User' END, m."AddedAt"
                FROM "GroupMembers" m
                JOIN "MemberKeys" g ON g."Key" = m."GroupKey"
                JOIN "MemberKeys" k ON k."Key" = m."MemberKey"
                """);

            migrationBuilder.Sql("""
                DROP TABLE "GroupMembers"
                """);

            migrationBuilder.Sql("""
                ALTER TABLE "GroupMembers_old" RENAME TO "GroupMembers"
                """);

            migrationBuilder.CreateIndex(
                name: "IX_GroupMembers_MemberId",
                table: "GroupMembers",
                column: "MemberId");

            migrationBuilder.DropTable(
                name: "MemberKeys");
        }
    }
}
