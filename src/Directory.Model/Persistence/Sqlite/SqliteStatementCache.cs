using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>
/// Statements prepared once per native SQLite connection of <see cref="SqliteReadPool"/> and reused for as long as it
/// lives; the pool finalizes them (<see cref="Forget"/>) before it closes the connection. For the SCIM lookups an IdP
/// sends thousands of times a minute, compiling the SQL cost more than running it. Also the binding that bulk writes
/// share (<see cref="Bind"/>).
/// </summary>
internal static class SqliteStatementCache
{
    private static readonly ConditionalWeakTable<sqlite3, Dictionary<string, sqlite3_stmt>> Statements = [];

    /// <summary>The prepared statement for <paramref name="sql"/> on this connection; the caller resets it after use.</summary>
    public static sqlite3_stmt Get(sqlite3 db, string sql)
    {
        var statements = Statements.GetOrCreateValue(db);
        if (!statements.TryGetValue(sql, out var statement))
        {
            var rc = raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out statement);
            SqliteException.ThrowExceptionForRC(rc, db);
            statements[sql] = statement;
        }

        return statement;
    }

    /// <summary>Finalizes the connection's statements, which must happen before it closes.</summary>
    public static void Forget(sqlite3 db)
    {
        if (Statements.TryGetValue(db, out var statements))
        {
            foreach (var statement in statements.Values)
            {
                statement.Dispose();
            }

            Statements.Remove(db);
        }
    }

    /// <summary>
    /// Runs the cached statement for <paramref name="sql"/> with <paramref name="parameters"/> bound to ?1, ?2…, calling
    /// <paramref name="row"/> on each row it returns; the statement is reset afterwards, also after an error.
    /// </summary>
    public static void Run(sqlite3 db, string sql, object?[] parameters, Action<sqlite3_stmt>? row = null)
    {
        var statement = Get(db, sql);
        try
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                Bind(db, statement, i + 1, parameters[i]);
            }

            while (Step(db, statement))
            {
                row?.Invoke(statement);
            }
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    /// <summary>Steps to the next row; false at the end. Errors surface as <see cref="SqliteException"/>.</summary>
    public static bool Step(sqlite3 db, sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }

        raw.sqlite3_reset(statement);
        SqliteException.ThrowExceptionForRC(rc, db);
        return false;
    }

    /// <summary>Binds a value already in its stored form, with the storage Microsoft.Data.Sqlite gives its type.</summary>
    public static void Bind(sqlite3 db, sqlite3_stmt statement, int index, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(statement, index),
            string text => raw.sqlite3_bind_text(statement, index, text),
            Guid guid => BindGuid(statement, index, guid),
            long number => raw.sqlite3_bind_int64(statement, index, number),
            int number => raw.sqlite3_bind_int64(statement, index, number),
            short number => raw.sqlite3_bind_int64(statement, index, number),
            byte number => raw.sqlite3_bind_int64(statement, index, number),
            bool flag => raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0),
            double real => raw.sqlite3_bind_double(statement, index, real),
            float real => raw.sqlite3_bind_double(statement, index, real),
            byte[] blob => raw.sqlite3_bind_blob(statement, index, blob),
            _ => throw new NotSupportedException($"Direct SQLite statements do not bind values of type {value.GetType().Name}; convert it first."),
        };
        SqliteException.ThrowExceptionForRC(rc, db);
    }

    /// <summary>Upper-case text, as Microsoft.Data.Sqlite stores a GUID, formatted without allocating.</summary>
    private static int BindGuid(sqlite3_stmt statement, int index, Guid guid)
    {
        Span<byte> text = stackalloc byte[36];
        guid.TryFormat(text, out _, "D");
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is >= (byte)'a' and <= (byte)'f')
            {
                text[i] -= 'a' - 'A';
            }
        }

        return raw.sqlite3_bind_text(statement, index, text);
    }
}
