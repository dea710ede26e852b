using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Sqlite;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Tests.Builders;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Tests.Mapping;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Tests.Provisioning;

/// <summary>
/// <see cref="UserProvisioning.CreateAndSaveAsync"/>: new users whom the organization's mapping file (if any) leaves alone
/// go through the group-committing SQLite writer; when the file would change a user in no group, or on a database that
/// is not a file, EF Core saves them with their recompute.
/// </summary>
public sealed class UserCreationTests
{
    [Fact]
    public async Task Without_a_mapping_file_new_users_are_written_beside_EF_Core_with_their_emails_and_a_chained_audit_entry()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        await using var writer = new SqliteNewUsers(new SqliteWriteGate(), NullLogger<SqliteNewUsers>.Instance);
        var directory = scenario.Directory;
        var users = new UserProvisioning(directory.Db, directory.Audit, directory.Clock, writer);

        var ada = await users.CreateAndSaveAsync(Profiles.Person("ada@example.org"), directory.Context, scenario.Memberships, default);
        var bob = await users.CreateAndSaveAsync(Profiles.Person("bob@example.org"), directory.Context, scenario.Memberships, default);

        // Nothing went through EF Core's unit of work: the writer inserted the rows itself.
        Assert.Empty(directory.Db.ChangeTracker.Entries<User>());
        Assert.Empty(directory.Db.ChangeTracker.Entries<AuditEntry>());
        Assert.All([ada, bob], u => Assert.NotEqual(0, Assert.Single(u.Emails).Id));
        await using var read = directory.NewContext();
        var stored = await read.Users.OrderBy(u => u.UserName).ToListAsync();
        Assert.Equal(["ada@example.org", "bob@example.org"], stored.Select(u => u.UserName));
        Assert.Equal(ada.ToProfile(), stored[0].ToProfile(), ProfileComparer.Instance);
        Assert.Equal(directory.Clock.GetUtcNow(), stored[0].CreatedAt);
        var audit = await read.AuditEntries.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([("user.created", ada.Id.ToString()), ("user.created", bob.Id.ToString())], audit.Select(a => (a.Action, a.TargetId)));
        Assert.True((await new AuditVerifier(read).VerifyAsync(directory.Organization.Id, default)).Intact);

        await Assert.ThrowsAsync<UniquenessConflictException>(() =>
            users.CreateAndSaveAsync(Profiles.Person("ADA@example.org"), directory.Context, scenario.Memberships, default));
    }

    [Fact]
    public async Task With_a_mapping_file_a_new_user_is_saved_with_its_recompute()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        await using var writer = new SqliteNewUsers(new SqliteWriteGate(), NullLogger<SqliteNewUsers>.Instance);
        Assert.Empty(scenario.WriteMapping("""
            organization: acme
            unmappedUsers: deactivate
            rules:
              - group: { displayName: "Sales" }
                team: Sales
                role: MEMBER
            """));
        var directory = scenario.Directory;
        var users = new UserProvisioning(directory.Db, directory.Audit, directory.Clock, writer);

        var ada = await users.CreateAndSaveAsync(Profiles.Person("ada@example.org"), directory.Context, scenario.Memberships, default);

        // In no mapped group, so the file's policy deactivates her in the same save.
        var stored = await scenario.ReadUserAsync(ada.Id);
        Assert.Equal(UserStatus.Deactivated, stored.Status);
        Assert.Equal(ManagedBySources.Mapping, stored.DeactivatedBy);
    }

    [Fact]
    public async Task With_a_mapping_file_that_gives_a_user_in_no_group_nothing_new_users_join_the_batched_writer()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        await using var writer = new SqliteNewUsers(new SqliteWriteGate(), NullLogger<SqliteNewUsers>.Instance);
        Assert.Empty(scenario.WriteMapping("""
            organization: acme
            rules:
              - group: { displayName: "Sales" }
                team: Sales
                role: MEMBER
            """));
        await scenario.TeamAsync("Sales");
        var directory = scenario.Directory;
        var users = new UserProvisioning(directory.Db, directory.Audit, directory.Clock, writer);

        var ada = await users.CreateAndSaveAsync(Profiles.Person("ada@example.org"), directory.Context, scenario.Memberships, default);

        Assert.Empty(directory.Db.ChangeTracker.Entries<User>());
        var stored = await scenario.ReadUserAsync(ada.Id);
        Assert.Equal(UserStatus.Prepared, stored.Status);
        await using var read = directory.NewContext();
        Assert.Equal(["user.created"], await read.AuditEntries.Where(a => a.TargetId == ada.Id.ToString()).Select(a => a.Action).ToListAsync());

        // Put in a mapped group later, she gets the team as any user does.
        await scenario.GroupAsync("Sales", members: ada.Id);
        await scenario.Memberships.RecomputeUsersAsync(scenario.OrganizationId, [ada.Id], AuditActor.ScimClient("test"), default);
        Assert.Equal(TeamRole.Member, (await scenario.TeamsOfAsync(ada.Id))["Sales"]);
    }

    [Fact]
    public async Task A_database_in_memory_is_written_through_EF_Core()
    {
        // A shared in-memory database lives as long as one connection to it is open; the writer's own connection would open another.
        var connectionString = $"Data Source=file:creates-{Guid.NewGuid():N}?mode=memory&cache=shared";
        await using var keepAlive = new SqliteConnection(connectionString);
        await keepAlive.OpenAsync();
        await using var db = new SqliteScimBridgeDbContext(new DbContextOptionsBuilder<SqliteScimBridgeDbContext>().UseSqlite(connectionString).Options);
        await db.Database.MigrateAsync();
        var organization = new Organization { Slug = "mem", Name = "Mem" };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        var clock = new FakeTimeProvider();
        var store = new MappingStore(
            Microsoft.Extensions.Options.Options.Create(new MappingOptions { Path = Path.GetTempPath() + Guid.NewGuid().ToString("N") }),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { ContentRootPath = Path.GetTempPath() },
            NullLogger<MappingStore>.Instance, clock);
        var memberships = new MembershipProvisioning(db, store, new OrganizationSlugs(), new AuditLog(db, clock), clock, NullLogger<MembershipProvisioning>.Instance);
        await using var writer = new SqliteNewUsers(new SqliteWriteGate(), NullLogger<SqliteNewUsers>.Instance);
        var users = new UserProvisioning(db, new AuditLog(db, clock), clock, writer);

        var grace = await users.CreateAndSaveAsync(Profiles.Person("grace@example.org"), new ProvisioningContext(organization.Id, AuditActor.ScimClient("test"), "scim"), memberships, default);

        Assert.Equal(EntityState.Unchanged, db.Entry(grace).State);
        Assert.Equal(1, await db.Users.CountAsync(u => u.Id == grace.Id));
    }

    /// <summary>Profiles compare by value except their lists, which are compared item by item.</summary>
    private sealed class ProfileComparer : IEqualityComparer<UserProfile>
    {
        public static readonly ProfileComparer Instance = new();

        public bool Equals(UserProfile? x, UserProfile? y) => x is not null && y is not null && x.SameAs(y);

        public int GetHashCode(UserProfile obj) => obj.UserName.GetHashCode(StringComparison.Ordinal);
    }
}
