using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Tests.Builders;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Tests.Provisioning;

/// <summary>
/// What a sync run's bulk writes leave behind, on both databases: every deactivated user audited with its whole profile
/// before and after (and reactivated to the state it had), every group's member changes audited with the members by id,
/// one new version per group (a group the caller holds follows it), and an intact audit chain.
/// </summary>
public sealed class BulkWriteTests(PostgresDatabase server) : IClassFixture<PostgresDatabase>
{
    private const int Count = 40;

    [Fact]
    public async Task Bulk_deactivation_audits_whole_profiles_and_reactivation_restores_each_state_on_SQLite()
    {
        await using var directory = await TestDirectory.CreateAsync();
        await DeactivateAndReactivateAsync(directory.NewContext, directory.Organization.Id);
    }

    [Fact]
    public async Task Bulk_deactivation_audits_whole_profiles_and_reactivation_restores_each_state_on_PostgreSQL()
    {
        var (open, organization) = await PostgresAsync("activation");
        await DeactivateAndReactivateAsync(open, organization);
    }

    [Fact]
    public async Task Bulk_member_changes_audit_each_group_and_bump_its_version_once_on_SQLite()
    {
        await using var directory = await TestDirectory.CreateAsync();
        await ChangeMembersAsync(directory.NewContext, directory.Organization.Id);
    }

    [Fact]
    public async Task Bulk_member_changes_audit_each_group_and_bump_its_version_once_on_PostgreSQL()
    {
        var (open, organization) = await PostgresAsync("members");
        await ChangeMembersAsync(open, organization);
    }

    private static async Task DeactivateAndReactivateAsync(Func<ScimBridgeDbContext> open, Guid organizationId)
    {
        var context = new ProvisioningContext(organizationId, AuditActor.SyncRun("corp", 7), "corp", "sync") { DeactivatesAs = "corp" };
        var ids = Enumerable.Range(0, Count).Select(_ => EntityIds.New()).ToList();
        await using (var db = open())
        {
            await Provisioning(db).CreateManyAsync([.. ids.Select((id, i) => new NewUser(id, Person(i), $"key-{i}"))], context, default);
            var invited = await db.Users.Where(u => u.Id == ids[0] || u.Id == ids[1]).ToListAsync();
            invited.ForEach(u => u.AdvanceTo(UserStatus.Invited));
            await db.SaveChangesAsync();
        }

        Dictionary<Guid, UserProfile> before;
        await using (var db = open())
        {
            before = (await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToListAsync()).ToDictionary(u => u.Id, u => u.ToProfile());
            var changed = await Provisioning(db).DeactivateManyAsync(
                [.. ids.Select(id => new UserActivation(id, id == ids[0] ? "deleted in the source" : null)), new UserActivation(EntityIds.New())], context, default);
            Assert.Equal(ids.Order(), changed.Users.Order());
            var again = await Provisioning(db).DeactivateManyAsync([new UserActivation(ids[0])], context, default);
            Assert.Empty(again.Users);
        }

        await using (var db = open())
        {
            var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToListAsync();
            Assert.All(users, u => Assert.Equal((UserStatus.Deactivated, "corp", 2), (u.Status, u.DeactivatedBy, u.Version)));
            var entries = await db.AuditEntries.AsNoTracking().Where(a => a.Action == "user.deactivated").ToListAsync();
            Assert.Equal(Count, entries.Count);
            foreach (var entry in entries)
            {
                var profile = before[Guid.Parse(entry.TargetId)];
                Assert.Equal(AuditLog.Snapshot(profile), entry.Before);
                Assert.Equal(AuditLog.Snapshot(profile with { Active = false }), entry.After);
                Assert.Equal(entry.TargetId == ids[0].ToString() ? "deleted in the source" : "sync", entry.Cause);
                Assert.Equal("sync:corp#7", entry.Actor);
            }

            Assert.Contains("ada.0@home.example", entries.Single(e => e.TargetId == ids[0].ToString()).Before);
            Assert.True((await new AuditVerifier(db).VerifyAsync(organizationId, default)).Intact);

            var reactivated = await Provisioning(db).ReactivateManyAsync([.. ids.Select(id => new UserActivation(id))], context, default, onlyDeactivatedBy: "corp");
            Assert.Equal(Count, reactivated.Users.Count);
        }

        await using (var db = open())
        {
            var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id);
            Assert.Equal(UserStatus.Invited, users[ids[1]].Status);
            Assert.Equal(UserStatus.Prepared, users[ids[2]].Status);
            Assert.All(users.Values, u => Assert.Equal((null, (DateTimeOffset?)null, 3), (u.DeactivatedBy, u.DeactivatedAt, u.Version)));
            var reactivations = await db.AuditEntries.AsNoTracking().Where(a => a.Action == "user.reactivated").ToListAsync();
            Assert.All(reactivations, e => Assert.Equal(AuditLog.Snapshot(before[Guid.Parse(e.TargetId)]), e.After));
            Assert.True((await new AuditVerifier(db).VerifyAsync(organizationId, default)).Intact);
        }
    }

    private static async Task ChangeMembersAsync(Func<ScimBridgeDbContext> open, Guid organizationId)
    {
        var context = new ProvisioningContext(organizationId, AuditActor.SyncRun("corp", 7), "corp", "sync");
        var users = Enumerable.Range(0, Count).Select(_ => EntityIds.New()).ToList();
        var groups = Enumerable.Range(0, 3).Select(_ => EntityIds.New()).ToList();
        var removed = users.Take(10).ToList();
        await using (var db = open())
        {
            await Provisioning(db).CreateManyAsync([.. users.Select((id, i) => new NewUser(id, Person(i)))], context, default);
            await Groups(db).CreateManyAsync([.. groups.Select((id, i) => new NewGroup(id, $"Group {i}", $"g{i}"))], context, default);
            await Groups(db).ApplyMemberChangesAsync([.. users.Select(u => new MemberEdit(groups[0], u, false)), new MemberEdit(groups[1], users[0], false)], [], context, default);
        }

        await using (var db = open())
        {
            // A group the caller holds is brought up to date, so its next save lands on the new version. A member removed and
            // added in one call stays a member (removals are written first).
            var held = await db.Groups.SingleAsync(g => g.Id == groups[0]);
            await Groups(db).ApplyMemberChangesAsync(
                [new MemberEdit(groups[2], groups[1], true), new MemberEdit(groups[0], users[0], false)],
                [.. removed.Select(u => new MemberEdit(groups[0], u, false)), new MemberEdit(groups[1], users[1], false)], context, default);
            Assert.Equal(3, held.Version);
            held.Rename("Group zero");
            await db.SaveChangesAsync();
            Assert.Equal("Group zero", (await db.Groups.AsNoTracking().SingleAsync(g => g.Id == groups[0])).DisplayName);
        }

        await using (var db = open())
        {
            var versions = await db.Groups.AsNoTracking().ToDictionaryAsync(g => g.Id, g => g.Version);
            Assert.Equal((3, 3, 2), (versions[groups[0]], versions[groups[1]], versions[groups[2]]));
            var members = (await MemberRows.ReadOfGroupsAsync(db, groups, default)).ToList();
            Assert.Equal(users.Skip(10).Append(users[0]).Order(), members.Where(m => m.GroupId == groups[0]).Select(m => m.MemberId).Order());
            Assert.Equal([users[0]], members.Where(m => m.GroupId == groups[1]).Select(m => m.MemberId));
            Assert.Equal([(groups[1], GroupMemberType.Group)], members.Where(m => m.GroupId == groups[2]).Select(m => (m.MemberId, m.MemberType)));

            var entries = await db.AuditEntries.AsNoTracking().Where(a => a.Action.StartsWith("group.members.")).OrderBy(a => a.Id).ToListAsync();
            var last = entries.Skip(2).ToList();
            Assert.Equal(AuditLog.Snapshot(new { members = removed.Order().ToList() }),
                last.Single(e => e.TargetId == groups[0].ToString() && e.Action == "group.members.removed").Before);
            Assert.Equal(AuditLog.Snapshot(new { members = new List<Guid> { users[0] } }),
                last.Single(e => e.TargetId == groups[0].ToString() && e.Action == "group.members.added").After);
            Assert.Equal(AuditLog.Snapshot(new { members = new List<Guid> { users[1] } }),
                last.Single(e => e.TargetId == groups[1].ToString()).Before);
            Assert.Equal(AuditLog.Snapshot(new { members = new List<Guid> { groups[1] } }),
                last.Single(e => e.TargetId == groups[2].ToString()).After);
            Assert.Equal(4, last.Count);
            Assert.True((await new AuditVerifier(db).VerifyAsync(organizationId, default)).Intact);
        }
    }

    private static UserProvisioning Provisioning(ScimBridgeDbContext db) => new(db, new AuditLog(db, TimeProvider.System), TimeProvider.System);

    private static GroupProvisioning Groups(ScimBridgeDbContext db) => new(db, new AuditLog(db, TimeProvider.System), TimeProvider.System);

    private static UserProfile Person(int i) => Profiles.Person($"ada.{i}@example.org") with
    {
        Emails = [new EmailAddress($"ada.{i}@example.org", "work", Primary: true), new EmailAddress($"ada.{i}@home.example", "home")],
        PhoneNumbers = [new PhoneNumber($"+1 425 555 {i:D4}", "work", Primary: true)],
    };

    private async Task<(Func<ScimBridgeDbContext> Open, Guid Organization)> PostgresAsync(string name)
    {
        var connection = server.ConnectionStringFor(name);
        ScimBridgeDbContext Open() => new PostgresScimBridgeDbContext(
            new DbContextOptionsBuilder<PostgresScimBridgeDbContext>().UseNpgsql(connection).Options);
        await using var db = Open();
        await db.Database.MigrateAsync();
        var organization = new Organization { Slug = "acme", Name = "Acme", CreatedAt = DateTimeOffset.UnixEpoch };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        return (Open, organization.Id);
    }
}
