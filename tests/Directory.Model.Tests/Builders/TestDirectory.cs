using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Sqlite;
using ScimBridge.Model.Provisioning;

namespace ScimBridge.Model.Tests.Builders;

/// <summary>A migrated SQLite file with one organization, a controllable clock and the provisioning paths.</summary>
public sealed class TestDirectory : IAsyncDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"scimbridge-model-{Guid.NewGuid():N}.db");

    private TestDirectory()
    {
        Db = NewContext();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    public ScimBridgeDbContext Db { get; }
    public Organization Organization { get; } = new() { Slug = "acme", Name = "Acme" };
    public AuditLog Audit => new(Db, Clock);
    public UserProvisioning Users => new(Db, Audit, Clock);
    public GroupProvisioning Groups => new(Db, Audit, Clock);
    public ProvisioningContext Context => new(Organization.Id, AuditActor.ScimClient("test"), "scim");

    public static async Task<TestDirectory> CreateAsync()
    {
        var directory = new TestDirectory();
        await directory.Db.Database.MigrateAsync();
        directory.Organization.CreatedAt = directory.Clock.GetUtcNow();
        directory.Db.Organizations.Add(directory.Organization);
        await directory.Db.SaveChangesAsync();
        return directory;
    }

    /// <summary>A second context on the same file, to read what was really written.</summary>
    public ScimBridgeDbContext NewContext() => new SqliteScimBridgeDbContext(
        new DbContextOptionsBuilder<SqliteScimBridgeDbContext>()
            .UseSqlite($"Data Source={_path}")
            .AddInterceptors(new SqlitePragmas())
            .Options);

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }
}
