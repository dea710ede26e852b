using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Sync.Tests.Runs;

/// <summary>
/// The databases sync tests run on, as configuration entries: a SQLite file (the default of every test class) or, in
/// each class's PostgreSQL subclass, a fresh database on the test process's PostgreSQL server, dropped with the class.
/// </summary>
public static class SyncDatabases
{
    public const string ProviderKey = "ScimBridge:Database:Provider";
    public const string ConnectionStringKey = "ScimBridge:Database:ConnectionString";

    public static Dictionary<string, string?> Sqlite(string path) => new() { [ConnectionStringKey] = $"Data Source={path}" };

    /// <summary>A database of its own for one test (or one host of a test) on the class's PostgreSQL fixture.</summary>
    public static Dictionary<string, string?> Postgres(PostgresDatabase server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new()
        {
            [ProviderKey] = "Postgres",
            [ConnectionStringKey] = server.ConnectionStringFor("db_" + Guid.NewGuid().ToString("N")[..12]),
        };
    }

    /// <summary><paramref name="settings"/> with <paramref name="database"/>'s entries added (the database wins).</summary>
    public static Dictionary<string, string?> With(IDictionary<string, string?>? settings, IDictionary<string, string?>? database)
    {
        var merged = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        foreach (var (key, value) in database ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }
        return merged;
    }

    /// <summary>A context on the database <paramref name="settings"/> name, to read what another host or process wrote.</summary>
    public static ScimBridgeDbContext Open(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var connectionString = settings[ConnectionStringKey]!;
        return IsPostgres(settings)
            ? new PostgresScimBridgeDbContext(new DbContextOptionsBuilder<PostgresScimBridgeDbContext>().UseNpgsql(connectionString).Options)
            : new SqliteScimBridgeDbContext(new DbContextOptionsBuilder<SqliteScimBridgeDbContext>().UseSqlite(connectionString).Options);
    }

    public static bool IsPostgres(IDictionary<string, string?> settings) =>
        settings.TryGetValue(ProviderKey, out var provider) && string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The same entries as environment variables of a service process (<c>ScimBridge__Database__…</c>).</summary>
    public static IEnumerable<KeyValuePair<string, string>> AsEnvironment(IDictionary<string, string?> settings) =>
        settings.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string>(p.Key.Replace(":", "__", StringComparison.Ordinal), p.Value!));
}
