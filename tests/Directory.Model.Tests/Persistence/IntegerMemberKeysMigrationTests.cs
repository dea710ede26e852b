using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Model.Tests.Persistence;

/// <summary>
/// Upgrading a database made while group members were stored by their ids: every membership is still there afterwards,
/// with its kind and the time it was added, and new members can be added and removed.
/// </summary>
public sealed class IntegerMemberKeysMigrationTests(PostgresDatabase server) : IClassFixture<PostgresDatabase>
{
    private const string Before = "OrganizationNumbers";
    private static readonly DateTimeOffset May = new(2026, 5, 4, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task On_SQLite_every_membership_survives_the_upgrade()
    {
        var path = Path.Combine(Path.GetTempPath(), $"member-keys-{Guid.NewGuid():N}.db");
        try
        {
            await AssertUpgradeAsync(() => new SqliteScimBridgeDbContext(
                new DbContextOptionsBuilder<SqliteScimBridgeDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task On_PostgreSQL_every_membership_survives_the_upgrade() =>
        await AssertUpgradeAsync(() => new PostgresScimBridgeDbContext(
            new DbContextOptionsBuilder<PostgresScimBridgeDbContext>().UseNpgsql(server.ConnectionStringFor("memberkeys")).Options));

    private static async Task AssertUpgradeAsync(Func<ScimBridgeDbContext> newContext)
    {
        var users = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        DirectoryGroup sales, emea, empty;
        List<(Guid Group, Guid Member, string Type, DateTimeOffset AddedAt)> before;
        await using (var db = newContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(Before);
            var acme = new Organization { Slug = "acme", Name = "Acme", CreatedAt = DateTimeOffset.UnixEpoch };
            db.Organizations.Add(acme);
            (sales, emea, empty) = (Group(acme, "Sales"), Group(acme, "EMEA"), Group(acme, "Empty"));
            db.Groups.AddRange(sales, emea, empty);
            await db.SaveChangesAsync();

            before =
            [
                (sales.Id, users[0], "User", May),
                (sales.Id, users[1], "User", May.AddDays(1)),
                (sales.Id, emea.Id, "Group", May.AddDays(2)),
                (emea.Id, users[1], "User", May.AddDays(3)),
                (emea.Id, users[2], "User", May.AddDays(4)),
                (empty.Id, sales.Id, "Group", May.AddDays(5)),
            ];
            foreach (var (group, member, type, addedAt) in before)
            {
                // The rows as the old table held them: ids, the kind by name.
                object Id(Guid id) => db.IsSqlite ? id.ToString().ToUpperInvariant() : id;
                object At = db.IsSqlite ? addedAt.UtcTicks : addedAt;
                await db.Database.ExecuteSqlRawAsync(
                    """INSERT INTO "GroupMembers" ("GroupId", "MemberId", "MemberType", "AddedAt") VALUES ({0}, {1}, {2}, {3})""",
                    Id(group), Id(member), type, At);
            }
        }

        await using (var db = newContext())
        {
            await db.Database.MigrateAsync();
            var edges = await db.MemberEdges.ToListAsync();

            Assert.Equal(
                before.Select(b => (b.Group, b.Member, Enum.Parse<GroupMemberType>(b.Type), b.AddedAt)).Order(),
                edges.Select(e => (e.GroupId, e.MemberId, e.MemberType, e.AddedAt)).Order());
            Assert.Equal(6, await db.MemberKeys.CountAsync());
        }

        // Written after the upgrade: a new member gets the next number, known ids keep theirs.
        await using (var db = newContext())
        {
            db.AddMember(emea.Id, users[3], GroupMemberType.User, May);
            db.AddMember(sales.Id, users[0], GroupMemberType.User, May.AddYears(1));
            db.RemoveMember(sales.Id, users[1]);
            await db.SaveChangesAsync();
        }

        await using (var db = newContext())
        {
            Assert.Equal(new[] { users[1], users[2], users[3] }.Order(), (await db.MemberEdges.Where(e => e.GroupId == emea.Id).Select(e => e.MemberId).ToListAsync()).Order());
            var salesMembers = await db.MemberEdges.Where(e => e.GroupId == sales.Id).ToListAsync();
            Assert.Equal(new[] { users[0], emea.Id }.Order(), salesMembers.Select(e => e.MemberId).Order());
            Assert.Equal(May, salesMembers.Single(e => e.MemberId == users[0]).AddedAt);
            Assert.Equal(7, await db.MemberKeys.CountAsync());
        }
    }

    private static DirectoryGroup Group(Organization organization, string name)
    {
        var group = new DirectoryGroup { OrganizationId = organization.Id, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch };
        group.Rename(name);
        return group;
    }
}
