using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Tests.Builders;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Tests.Persistence;

public class SqliteLookupsTests
{
    [Fact]
    public async Task Pooled_lookups_find_a_user_and_see_later_changes_through_their_kept_statements()
    {
        await using var directory = await TestDirectory.CreateAsync();
        var user = await directory.Users.CreateAsync(new UserProfile { UserName = "Ada@Example.org", DisplayName = "Ada" }, directory.Context, default);
        await directory.Db.SaveChangesAsync();
        using var pool = new SqliteReadPool();
        await using var reader = directory.NewContext();

        Assert.True(await SqliteLookups.InReadTransactionAsync(reader, pool, () => Task.FromResult(SqliteLookups.InSession), default));
        var first = await FindAsync(reader, pool, directory.Organization.Id, "ada@example.org");
        user.DisplayName = "Ada Lovelace";
        await directory.Db.SaveChangesAsync();
        var second = await FindAsync(reader, pool, directory.Organization.Id, "ada@example.org");

        Assert.Equal(user.Id, first?.Id);
        Assert.Equal("Ada", first?.DisplayName);
        Assert.Equal("Ada Lovelace", second?.DisplayName);
        Assert.Null(await FindAsync(reader, pool, directory.Organization.Id, "nobody@example.org"));
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

        var found = await FindAsync(db, pool, organization.Id, "grace@example.org");

        Assert.Equal(user.Id, found?.Id);
        Assert.False(await SqliteLookups.InReadTransactionAsync(db, pool, () => Task.FromResult(SqliteLookups.InSession), default));
    }

    /// <summary>As the SCIM endpoints look a user up: the pooled lookup inside a session, EF Core's query otherwise.</summary>
    private static Task<User?> FindAsync(ScimBridgeDbContext db, SqliteReadPool pool, Guid organizationId, string userName) =>
        SqliteLookups.InReadTransactionAsync(db, pool, () => SqliteLookups.InSession
            ? Task.FromResult(SqliteLookups.UserByNormalizedName(db, organizationId, User.Normalize(userName)))
            : db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.OrganizationId == organizationId && u.NormalizedUserName == User.Normalize(userName)), default);
}
