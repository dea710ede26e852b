using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Postgres;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Tests.Builders;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Tests.Persistence;

/// <summary>The PostgreSQL paths that bypass EF Core write and read the same rows EF Core does.</summary>
public sealed class PostgresNativePathTests(PostgresDatabase server) : IClassFixture<PostgresDatabase>
{
    private PostgresScimBridgeDbContext NewContext(string database) => new(
        new DbContextOptionsBuilder<PostgresScimBridgeDbContext>().UseNpgsql(server.ConnectionStringFor(database)).Options);

    private async Task<Organization> MigrateWithOrganizationAsync(string database)
    {
        await using var db = NewContext(database);
        await db.Database.MigrateAsync();
        var organization = new Organization { Slug = "acme", Name = "Acme", CreatedAt = DateTimeOffset.UnixEpoch };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        return organization;
    }

    [Fact]
    public async Task The_batched_lookup_returns_the_user_teams_and_groups_EF_Core_returns()
    {
        var organization = await MigrateWithOrganizationAsync("reader");
        User user;
        await using (var db = NewContext("reader"))
        {
            var users = new UserProvisioning(db, new AuditLog(db, TimeProvider.System), TimeProvider.System);
            var profile = Profiles.Person("ada@example.org") with
            {
                Emails = [new EmailAddress("ada@example.org", "work", Primary: true), new EmailAddress("ada@home.example", "home")],
                PhoneNumbers = [new PhoneNumber("+1 425 555 0100", "work", Primary: true)],
            };
            user = await users.CreateAsync(profile, new ProvisioningContext(organization.Id, AuditActor.ScimClient("test"), ManagedBySources.Scim), default);
            var team = new Team { OrganizationId = organization.Id };
            team.Rename("Support");
            var group = new DirectoryGroup { OrganizationId = organization.Id, ManagedBy = ManagedBySources.Scim };
            group.Rename("Helpdesk");
            db.Add(team);
            db.Add(group);
            db.Add(new TeamMembership { OrganizationId = organization.Id, TeamId = team.Id, UserId = user.Id, Role = TeamRole.Admin });
            db.AddMember(group.Id, user.Id, GroupMemberType.User, DateTimeOffset.UnixEpoch);
            await db.SaveChangesAsync();
        }

        await using var reader = NewContext("reader");
        var native = new PostgresUserReader(reader, new PostgresUserStatements());
        var ef = new EfUserReader(reader);
        var byName = await native.FindByNormalizedUserNameAsync(organization.Id, User.Normalize("Ada@Example.org"), default);
        var nativeRelations = await native.RelationsAsync(organization.Id, user.Id, teams: true, groups: true, default);
        var byId = await native.FindByIdAsync(organization.Id, user.Id, default);
        var expected = await ef.FindByIdAsync(organization.Id, user.Id, default);
        var expectedRelations = await ef.RelationsAsync(organization.Id, user.Id, teams: true, groups: true, default);

        Assert.NotNull(expected);
        foreach (var found in new[] { byName, byId })
        {
            Assert.NotNull(found);
            Assert.True(found.ToProfile().SameAs(expected.ToProfile()));
            Assert.Equal(expected.Version, found.Version);
            Assert.Equal(expected.CreatedAt, found.CreatedAt);
            Assert.Equal(expected.Emails.Select(e => e.Value), found.Emails.Select(e => e.Value));
        }

        Assert.Equal(expectedRelations.OrderBy(r => r.Name), nativeRelations.OrderBy(r => r.Name));
        Assert.Equal(2, nativeRelations.Count);
        Assert.Null(await native.FindByNormalizedUserNameAsync(organization.Id, User.Normalize("nobody@example.org"), default));
    }

    [Fact]
    public async Task Concurrent_new_users_are_committed_together_with_one_unbroken_audit_chain_and_a_taken_userName_fails_alone()
    {
        var organization = await MigrateWithOrganizationAsync("creates");
        await using var writer = new PostgresNewUsers(NullLogger<PostgresNewUsers>.Instance);
        var context = new ProvisioningContext(organization.Id, AuditActor.ScimClient("test"), ManagedBySources.Scim);
        var noMappings = new MappingStore(
            Microsoft.Extensions.Options.Options.Create(new MappingOptions { Path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")) }),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { ContentRootPath = Path.GetTempPath() },
            NullLogger<MappingStore>.Instance, TimeProvider.System);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            await using var db = NewContext("creates");
            var users = new UserProvisioning(db, new AuditLog(db, TimeProvider.System), TimeProvider.System, writer);
            var memberships = new MembershipProvisioning(db, noMappings, new OrganizationSlugs(), new AuditLog(db, TimeProvider.System),
                TimeProvider.System, NullLogger<MembershipProvisioning>.Instance);
            try
            {
                await users.CreateAndSaveAsync(Profiles.Person($"user{i % 30}@example.org"), context, memberships, default);
                return true;
            }
            catch (UniquenessConflictException)
            {
                return false;
            }
        }));

        await using var check = NewContext("creates");
        Assert.Equal(30, results.Count(r => r));
        Assert.Equal(30, await check.Users.CountAsync());
        Assert.Equal(30, await check.Set<UserEmail>().CountAsync());
        var chain = await new AuditVerifier(check).VerifyAsync(organization.Id, default);
        Assert.True(chain.Intact);
        Assert.Equal(30, chain.EntriesChecked);
    }
}
