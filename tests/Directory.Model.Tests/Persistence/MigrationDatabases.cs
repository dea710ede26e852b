using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Model.Tests.Persistence;

/// <summary>Fresh databases on both providers for the tests that upgrade one from an earlier migration.</summary>
internal static class MigrationDatabases
{
    /// <summary>Runs <paramref name="test"/> on a new SQLite file (one context per call of the factory), then deletes it.</summary>
    public static async Task OnSqliteAsync(Func<Func<ScimBridgeDbContext>, Task> test)
    {
        var path = Path.Combine(Path.GetTempPath(), $"migration-{Guid.NewGuid():N}.db");
        try
        {
            await test(() => new SqliteScimBridgeDbContext(
                new DbContextOptionsBuilder<SqliteScimBridgeDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Contexts on a new PostgreSQL database of the test server.</summary>
    public static Func<ScimBridgeDbContext> OnPostgres(PostgresDatabase server, string database) => () => new PostgresScimBridgeDbContext(
        new DbContextOptionsBuilder<PostgresScimBridgeDbContext>().UseNpgsql(server.ConnectionStringFor(database)).Options);
}
