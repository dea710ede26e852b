using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>
/// Per-connection SQLite settings: with WAL, NORMAL sync keeps the database intact across crashes of the process;
/// statement journals stay in memory instead of a temporary file created and deleted per statement; the log is
/// checkpointed in the background (<see cref="SqliteCheckpointer"/>), SQLite's own checkpoint waits for 10,000 pages; in a
/// short-lived process the last connection to close leaves the log to the next opener. EF opens a pooled
/// connection for every query, so the settings are applied once per native handle, not per open.
/// <para>
/// A connection opened in a unit of work that only reads (<see cref="SqliteMemoryMap"/>) reads through a 64 MB memory map, shared by all
/// connections through the OS page cache instead of copied into each connection's own 2 MB cache. Other connections
/// have none: SQLite drops and rebuilds a connection's map at the start of every read after another connection
/// committed, which made each write request pay for a 64 MB unmap and the page faults after it.
/// </para>
/// </summary>
public sealed class SqlitePragmas(SqliteMemoryMap? memoryMap = null, bool leaveLogOnClose = false) : DbConnectionInterceptor
{
    internal const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=10000;";
    private const long MapSize = 64 * 1024 * 1024;
    private readonly ConditionalWeakTable<object, StrongBox<long>> _mapped = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The connection, when it is the last one of the database to close, leaves the write-ahead log as it is instead
    /// of checkpointing it (see <see cref="SqliteShortLivedProcess"/>).
    /// </summary>
    public static void LeaveLogOnClose(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _ = SQLitePCL.raw.sqlite3_db_config(connection.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
    }

    private void Apply(DbConnection connection)
    {
        object key = connection is SqliteConnection { Handle: { } handle } ? handle : connection;
        var wanted = memoryMap?.Wanted == true ? MapSize : 0;
        string? sql = null;
        if (!_mapped.TryGetValue(key, out var mapped))
        {
            mapped = new StrongBox<long>(0);
            _mapped.AddOrUpdate(key, mapped);
            sql = Pragmas;
            if (leaveLogOnClose && connection is SqliteConnection sqlite)
            {
                LeaveLogOnClose(sqlite);
            }
        }

        if (mapped.Value != wanted)
        {
            sql += $" PRAGMA mmap_size={wanted};";
            mapped.Value = wanted;
        }

        if (sql is not null)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }
}
