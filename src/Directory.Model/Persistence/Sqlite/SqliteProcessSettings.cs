using SQLitePCL;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>Process-wide SQLite settings, which take effect only before the first connection opens.</summary>
public static class SqliteProcessSettings
{
    /// <summary>
    /// Turns off SQLite's memory-use statistics. Kept on, every allocation and free inside SQLite takes one mutex that
    /// all connections of the process share; under concurrent requests threads queued on it and the service spent its
    /// CPU on context switches. Nothing here reads the statistics. Once SQLite is initialized the call has no effect.
    /// </summary>
    public static void Apply()
    {
        Batteries_V2.Init();
        _ = raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }
}
