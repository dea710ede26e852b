using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Tests.Builders;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Tests.Persistence;

/// <summary>The same domain on a real PostgreSQL server, through the PostgreSQL migrations.</summary>
public sealed class PostgresPersistenceTests(PostgresDatabase server) : IClassFixture<PostgresDatabase>
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
    public async Task Migrations_apply_and_userName_uniqueness_ignores_case()
    {
        var organization = await MigrateWithOrganizationAsync("uniqueness");
        await using var db = NewContext("uniqueness");
        var users = new UserProvisioning(db, new AuditLog(db, TimeProvider.System), TimeProvider.System);
        var context = new ProvisioningContext(organization.Id, AuditActor.ScimClient("test"), ManagedBySources.Scim);

        await users.CreateAsync(Profiles.Person("ada@example.org"), context, default);
        await db.SaveChangesAsync();

        await Assert.ThrowsAsync<UniquenessConflictException>(() => users.CreateAsync(Profiles.Person("ADA@EXAMPLE.ORG"), context, default));
        Assert.Equal(1, await NewContext("uniqueness").Users.CountAsync());
    }

    [Fact]
    public async Task Concurrent_writers_keep_one_unbroken_audit_chain()
    {
        var organization = await MigrateWithOrganizationAsync("chain");

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            await using var db = NewContext("chain");
            var users = new UserProvisioning(db, new AuditLog(db, TimeProvider.System), TimeProvider.System);
            await users.CreateAsync(Profiles.Person($"user{i}@example.org"),
                new ProvisioningContext(organization.Id, AuditActor.ScimClient("test"), ManagedBySources.Scim), default);
            await db.SaveChangesAsync();
        }));

        var result = await new AuditVerifier(NewContext("chain")).VerifyAsync(organization.Id, default);
        Assert.True(result.Intact);
        Assert.Equal(20, result.EntriesChecked);
    }
}
