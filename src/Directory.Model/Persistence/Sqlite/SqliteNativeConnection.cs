using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>Native SQLite connections opened beside EF Core's, to the very file EF Core's connection resolved.</summary>
internal static class SqliteNativeConnection
{
    /// <summary>
    /// The file SQLite itself resolved for EF Core's connection, so both always open the same database; empty for a
    /// database that is not a file (in memory), where another connection would see another database.
    /// </summary>
    public static async Task<string> FileOfAsync(ScimBridgeDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return db.Database.GetDbConnection().DataSource;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Opens <paramref name="file"/> for use by one thread at a time and runs <paramref name="pragmas"/> on it.</summary>
    public static sqlite3 Open(string file, string pragmas)
    {
        var rc = raw.sqlite3_open_v2(file, out var connection, raw.SQLITE_OPEN_READWRITE | raw.SQLITE_OPEN_NOMUTEX, null);
        if (rc == raw.SQLITE_OK)
        {
            // Waiting on a lock is allowed before the first statement: reading the schema for the pragmas may meet
            // another connection's write (a migration, the statistics refresh at start) and would fail at once.
            rc = raw.sqlite3_busy_timeout(connection, 10_000);
        }

        if (rc == raw.SQLITE_OK)
        {
            rc = raw.sqlite3_exec(connection, pragmas);
        }

        if (rc != raw.SQLITE_OK)
        {
            var error = raw.sqlite3_errmsg(connection).utf8_to_string();
            connection.Dispose();
            throw new SqliteException($"SQLite Error {rc}: '{error}'.", rc);
        }

        return connection;
    }

    /// <summary>Finalizes the connection's cached statements and closes it.</summary>
    public static void Close(sqlite3 connection)
    {
        SqliteStatementCache.Forget(connection);
        connection.Dispose();
    }
}
