using System.Collections.Concurrent;
using SQLitePCL;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>
/// Read-only SQLite connections for the SCIM lookups an IdP repeats thousands of times a minute (<see cref="SqliteLookups"/>).
/// They live outside Microsoft.Data.Sqlite's pool on purpose: that pool re-registers EF Core's SQL functions on every
/// open, and SQLite expires every statement prepared on a connection whose functions change, so statements kept there
/// were compiled again for every request. Here a connection keeps its prepared statements for as long as it lives.
/// Each connection reads through the memory map and is opened <c>query_only</c>: nothing can write through it. Its page
/// cache is 4 MB instead of SQLite's 2 MB: pages past the map's 64 MB are read into it, and at 2 MB the userName lookups
/// of 60,000 users kept reading the same index pages again (filtered GETs 11,700/s against 15,600/s, for about 50 MB more).
/// </summary>
public sealed class SqliteReadPool : IDisposable
{
    /// <summary>Connections kept when idle; a burst beyond this opens more and closes them when it has passed.</summary>
    private const int MaxIdle = 8;

    private const string Pragmas = "PRAGMA query_only=1; PRAGMA busy_timeout=10000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=67108864; PRAGMA cache_size=-4096;";

    private readonly ConcurrentStack<sqlite3> _idle = new();
    private string? _file;
    private bool _disposed;

    /// <summary>
    /// A connection to the database <paramref name="db"/> works on, ready for statements; give it back with
    /// <see cref="Return"/>. Null for a database that is not a file (in memory): another connection would see another database.
    /// </summary>
    public async Task<sqlite3?> RentAsync(ScimBridgeDbContext db, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryPop(out var idle))
        {
            return idle;
        }

        var file = _file ??= await SqliteNativeConnection.FileOfAsync(db, ct);
        if (file.Length == 0)
        {
            return null;
        }

        return SqliteNativeConnection.Open(file, Pragmas);
    }

    /// <summary>Takes a connection back; one left inside a transaction, or after the pool is disposed, is closed.</summary>
    public void Return(sqlite3 connection)
    {
        if (_disposed || raw.sqlite3_get_autocommit(connection) == 0 || _idle.Count >= MaxIdle)
        {
            Close(connection);
            return;
        }

        _idle.Push(connection);
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryPop(out var connection))
        {
            Close(connection);
        }
    }

    private static void Close(sqlite3 connection) => SqliteNativeConnection.Close(connection);
}
