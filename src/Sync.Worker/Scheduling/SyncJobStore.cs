using Microsoft.Data.Sqlite;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Sync.Scheduling;

/// <summary>
/// Where Quartz keeps its schedule. With SQLite, a sibling file of the directory database (<c>scimbridge.quartz.db</c>
/// next to <c>scimbridge.db</c>) so the scheduler's locking never waits on the directory's writers; with PostgreSQL,
/// the same database, clustered so several instances share the schedule and each run happens once.
/// </summary>
public static class SyncJobStore
{
    public static string SqliteConnectionString(DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var main = new SqliteConnectionStringBuilder(database.ConnectionString);
        var path = string.IsNullOrEmpty(main.DataSource) || main.DataSource == ":memory:" ? "data/scimbridge.db" : main.DataSource;
        var folder = Path.GetDirectoryName(path);
        var sibling = Path.Combine(folder ?? "", Path.GetFileNameWithoutExtension(path) + ".quartz.db");
        return new SqliteConnectionStringBuilder { DataSource = sibling, Pooling = true }.ToString();
    }

    /// <summary>Creates the folder of a SQLite job store file so the first start works on an empty machine.</summary>
    public static void EnsureSqliteFolder(string connectionString)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            System.IO.Directory.CreateDirectory(folder);
        }
    }
}
