using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Sqlite;
using ScimBridge.Model.Tests.Builders;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Tests.Persistence;

public class SqliteUserReaderTests
{
    [Fact]
    public async Task Pooled_lookups_find_a_user_and_see_changes_made_between_units_of_work()
    {
        await using var directory = await TestDirectory.CreateAsync();
        var user = await directory.Users.CreateAsync(new UserProfile { UserName = "Ada@Example.org", DisplayName = "Ada" }, directory.Context, default);
        await directory.Db.SaveChangesAsync();
        using var pool = new SqliteReadPool();
        await using var db = directory.NewContext();
        var reader = new SqliteUserReader(db, pool, new SqliteUserStatements());
        var scope = new SqliteDatabaseWorkScope(db, new SqliteMemoryMap(), reader);

        var first = await scope.RunAsync(DatabaseWork.Reads, () => reader.FindByNormalizedUserNameAsync(directory.Organization.Id, User.Normalize("ada@example.org"), default), default);
        user.DisplayName = "Ada Lovelace";
        await directory.Db.SaveChangesAsync();
        var second = await scope.RunAsync(DatabaseWork.Reads, () => reader.FindByIdAsync(directory.Organization.Id, user.Id, default), default);
        var nobody = await scope.RunAsync(DatabaseWork.Reads, () => reader.FindByNormalizedUserNameAsync(directory.Organization.Id, User.Normalize("nobody@example.org"), default), default);

        Assert.Equal(user.Id, first?.Id);
        Assert.Equal("Ada", first?.DisplayName);
        Assert.Equal("Ada Lovelace", second?.DisplayName);
        Assert.Null(nobody);
    }

    [Fact]
    public async Task The_pooled_and_the_EF_Core_lookups_return_the_same_user()
    {
        await using var directory = await TestDirectory.CreateAsync();
        var profile = new UserProfile
        {
            UserName = "grace@example.org",
            DisplayName = "Grace",
            Emails = [new EmailAddress("grace@example.org", "work", Primary: true), new EmailAddress("g@example.net", "home")],
        };
        var user = await directory.Users.CreateAsync(profile, directory.Context, default);
        await directory.Db.SaveChangesAsync();
        using var pool = new SqliteReadPool();
        await using var db = directory.NewContext();
        var reader = new SqliteUserReader(db, pool, new SqliteUserStatements());
        var scope = new SqliteDatabaseWorkScope(db, new SqliteMemoryMap(), reader);

        var pooled = await scope.RunAsync(DatabaseWork.Reads, () => reader.FindByIdAsync(directory.Organization.Id, user.Id, default), default);
        var ef = await new EfUserReader(db).FindByIdAsync(directory.Organization.Id, user.Id, default);

        Assert.NotNull(pooled);
        Assert.NotNull(ef);
        Assert.True(pooled.ToProfile().SameAs(ef.ToProfile()));
        Assert.Equal(ef.Version, pooled.Version);
        Assert.Equal(ef.CreatedAt, pooled.CreatedAt);
    }

    [Fact]
    public async Task An_in_memory_database_is_read_through_EF_Core_not_the_pool()
    {
        // A shared in-memory database lives as long as one connection to it is open.
        var connectionString = $"Data Source=file:lookups-{Guid.NewGuid():N}?mode=memory&cache=shared";
        await using var keepAlive = new SqliteConnection(connectionString);
        await keepAlive.OpenAsync();
        var options = new DbContextOptionsBuilder<SqliteScimBridgeDbContext>().UseSqlite(connectionString).Options;
        await using var db = new SqliteScimBridgeDbContext(options);
        await db.Database.MigrateAsync();
        var organization = new Organization { Slug = "mem", Name = "Mem" };
        var user = new User { OrganizationId = organization.Id };
        user.ApplyProfile(new UserProfile { UserName = "grace@example.org" });
        db.Add(organization);
        db.Add(user);
        await db.SaveChangesAsync();
        using var pool = new SqliteReadPool();
        var reader = new SqliteUserReader(db, pool, new SqliteUserStatements());
        var scope = new SqliteDatabaseWorkScope(db, new SqliteMemoryMap(), reader);

        var found = await scope.RunAsync(DatabaseWork.Reads, () => reader.FindByNormalizedUserNameAsync(organization.Id, User.Normalize("grace@example.org"), default), default);

        Assert.Equal(user.Id, found?.Id);
    }
}
