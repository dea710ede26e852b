using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Tests.Builders;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Tests.Persistence;

/// <summary>
/// The member rows a sync run's state is read from: whole groups, plus single members in other groups, each row once
/// and by the same ids <see cref="ScimBridgeDbContext.MemberEdges"/> shows.
/// </summary>
public class MemberRowsReadTests
{
    [Fact]
    public async Task Whole_groups_and_members_in_other_groups_are_read_once_each_by_ids()
    {
        await using var directory = await TestDirectory.CreateAsync();
        var db = directory.Db;
        var users = Enumerable.Range(1, 4).Select(i =>
        {
            var user = new User { OrganizationId = directory.Organization.Id };
            user.ApplyProfile(new UserProfile { UserName = $"user{i}@example.org" });
            return user;
        }).ToList();
        db.Users.AddRange(users);
        var (a, b, c) = (Group("A"), Group("B"), Group("C"));
        db.Groups.AddRange(a, b, c);
        var now = directory.Clock.GetUtcNow();
        db.AddMember(a.Id, users[0].Id, GroupMemberType.User, now);
        db.AddMember(a.Id, users[1].Id, GroupMemberType.User, now);
        db.AddMember(a.Id, b.Id, GroupMemberType.Group, now);
        db.AddMember(b.Id, users[1].Id, GroupMemberType.User, now);
        db.AddMember(b.Id, users[2].Id, GroupMemberType.User, now);
        db.AddMember(c.Id, users[2].Id, GroupMemberType.User, now);
        db.AddMember(c.Id, users[3].Id, GroupMemberType.User, now);
        await db.SaveChangesAsync();

        await using var readDb = directory.NewContext();
        var rows = await MemberRows.ReadAsync(readDb, [a.Id], [users[1].Id, users[2].Id], [a.Id, b.Id], default);

        // All of A; users 2 and 3 in B; nothing of C, which is not asked for; user 2's row in A only once.
        Assert.Equal(
            new[]
            {
                (a.Id, users[0].Id, GroupMemberType.User), (a.Id, users[1].Id, GroupMemberType.User), (a.Id, b.Id, GroupMemberType.Group),
                (b.Id, users[1].Id, GroupMemberType.User), (b.Id, users[2].Id, GroupMemberType.User),
            }.Order(),
            rows.Order());
        var edges = await readDb.MemberEdges.Select(m => new { m.GroupId, m.MemberId, m.MemberType }).ToListAsync();
        Assert.Equal(
            edges.Select(e => (e.GroupId, e.MemberId, e.MemberType)).Order(),
            (await MemberRows.ReadOfGroupsAsync(readDb, [a.Id, b.Id, c.Id], default)).Order());

        DirectoryGroup Group(string name)
        {
            var group = new DirectoryGroup { OrganizationId = directory.Organization.Id, ManagedBy = "ldap", ExternalId = name };
            group.Rename(name);
            return group;
        }
    }
}
