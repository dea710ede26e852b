using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Sqlite;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Tests.Builders;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Tests.Persistence;

/// <summary>
/// The SQLite statements that serve hot reads, the precompiled EF Core lookups and the queries built on the visibility
/// helpers state the same rules: for the same data they return the same users, teams and groups.
/// </summary>
public class RawAndEfReadersAgreeTests
{
    [Fact]
    public async Task Raw_SQL_lookups_and_EF_queries_return_the_same_users_teams_and_groups()
    {
        await using var directory = await TestDirectory.CreateAsync();
        var db = directory.Db;
        var other = new Organization { Slug = "other", Name = "Other" };
        db.Organizations.Add(other);
        var users = new List<User>();
        foreach (var (name, organization, deleted) in new[]
                 { ("ada", directory.Organization.Id, false), ("bob", directory.Organization.Id, true), ("cy", other.Id, false) })
        {
            var user = new User { OrganizationId = organization };
            user.ApplyProfile(new UserProfile { UserName = $"{name}@example.org", Emails = [new EmailAddress($"{name}@example.org", "work", true, null)] });
            if (deleted)
            {
                user.MarkDeleted(directory.Clock.GetUtcNow());
            }

            users.Add(user);
        }

        db.Users.AddRange(users);
        var teams = new[] { Team("Sales", deleted: false), Team("Old", deleted: true), Team("Support", deleted: false) };
        db.Teams.AddRange(teams);
        var groups = new[] { Group("Engineering", deleted: false), Group("Gone", deleted: true) };
        db.Groups.AddRange(groups);
        foreach (var user in users)
        {
            db.TeamMemberships.Add(Membership(teams[0], user, removed: false));
            db.TeamMemberships.Add(Membership(teams[1], user, removed: false));
            db.TeamMemberships.Add(Membership(teams[2], user, removed: true));
            foreach (var group in groups)
            {
                db.AddMember(group.Id, user.Id, GroupMemberType.User, directory.Clock.GetUtcNow());
            }
        }

        await db.SaveChangesAsync();
        using var pool = new SqliteReadPool();
        await using var readDb = directory.NewContext();
        var pooled = new SqliteUserReader(readDb, pool, new SqliteUserStatements());
        var scope = new SqliteDatabaseWorkScope(readDb, new SqliteMemoryMap(), pooled);
        var ef = new EfUserReader(readDb);

        foreach (var organization in new[] { directory.Organization.Id, other.Id })
        {
            foreach (var user in users)
            {
                var raw = await scope.RunAsync(DatabaseWork.Reads, async () => (
                    User: await pooled.FindByIdAsync(organization, user.Id, default),
                    ByName: await pooled.FindByNormalizedUserNameAsync(organization, user.NormalizedUserName, default),
                    Relations: await pooled.RelationsAsync(organization, user.Id, teams: true, groups: true, default)), default);
                var byId = await ef.FindByIdAsync(organization, user.Id, default);
                var live = await readDb.Users.AsNoTracking().LiveIn(organization).FirstOrDefaultAsync(u => u.Id == user.Id);

                Assert.Equal(live?.Id, byId?.Id);
                Assert.Equal(byId?.Id, raw.User?.Id);
                Assert.Equal((await ef.FindByNormalizedUserNameAsync(organization, user.NormalizedUserName, default))?.Id, raw.ByName?.Id);
                Assert.Equal(byId?.ToProfile().Emails, raw.User?.ToProfile().Emails);
                var efRelations = await ef.RelationsAsync(organization, user.Id, teams: true, groups: true, default);
                Assert.Equal(Rows(efRelations), Rows(raw.Relations));
                Assert.Equal(await LinqRelationsAsync(readDb, organization, user.Id), Rows(raw.Relations));
            }

            // A list page, in the order asked for, with an unknown id and users of both organizations among the ids.
            List<Guid> ids = [users[2].Id, Guid.NewGuid(), users[1].Id, users[0].Id];
            var rawPage = await scope.RunAsync(DatabaseWork.Reads, () => pooled.PageAsync(organization, ids, teams: true, groups: true, default), default);
            var efPage = await ef.PageAsync(organization, ids, teams: true, groups: true, default);
            List<Guid> expected = [.. ids.Where(id => users.Any(u => u.Id == id && u.OrganizationId == organization && u.DeletedAt is null))];
            Assert.NotEmpty(expected);
            Assert.Equal(expected, efPage.Select(p => p.User.Id));
            Assert.Equal(expected, rawPage.Select(p => p.User.Id));
            foreach (var (efUser, rawUser) in efPage.Zip(rawPage))
            {
                Assert.Equal(await LinqRelationsAsync(readDb, organization, efUser.User.Id), Rows(efUser.Relations));
                Assert.Equal(Rows(efUser.Relations), Rows(rawUser.Relations));
                Assert.NotEmpty(rawUser.Relations);
                Assert.Equal(efUser.User.ToProfile().Emails, rawUser.User.ToProfile().Emails);
            }
        }

        Team Team(string name, bool deleted)
        {
            var team = new Team { OrganizationId = directory.Organization.Id, CreatedAt = directory.Clock.GetUtcNow(), DeletedAt = deleted ? directory.Clock.GetUtcNow() : null };
            team.Rename(name);
            return team;
        }

        DirectoryGroup Group(string name, bool deleted)
        {
            var group = new DirectoryGroup { OrganizationId = directory.Organization.Id, ManagedBy = "scim", DeletedAt = deleted ? directory.Clock.GetUtcNow() : null };
            group.Rename(name);
            return group;
        }

        TeamMembership Membership(Team team, User user, bool removed) => new()
        {
            OrganizationId = user.OrganizationId, TeamId = team.Id, UserId = user.Id, Role = TeamRole.Member, Origin = MembershipOrigin.Manual,
            CreatedAt = directory.Clock.GetUtcNow(), UpdatedAt = directory.Clock.GetUtcNow(), RemovedAt = removed ? directory.Clock.GetUtcNow() : null,
        };
    }

    private static List<(Guid Id, bool IsTeam)> Rows(IEnumerable<UserRelationRow> rows) => [.. rows.Select(r => (r.Id, r.IsTeam)).Order()];

    /// <summary>The same relations through the visibility helpers the other EF queries use.</summary>
    private static async Task<List<(Guid Id, bool IsTeam)>> LinqRelationsAsync(ScimBridgeDbContext db, Guid organizationId, Guid userId)
    {
        var teams = await (
            from m in db.TeamMemberships.AsNoTracking().Active()
            where m.OrganizationId == organizationId && m.UserId == userId
            join t in db.Teams.AsNoTracking().Live() on m.TeamId equals t.Id
            select t.Id).ToListAsync();
        var groups = await (
            from m in db.MemberEdges
            where m.MemberId == userId && m.MemberType == GroupMemberType.User
            join g in db.Groups.AsNoTracking().LiveIn(organizationId) on m.GroupId equals g.Id
            select g.Id).ToListAsync();
        return [.. teams.Select(id => (id, true)).Concat(groups.Select(id => (id, false))).Order()];
    }
}
