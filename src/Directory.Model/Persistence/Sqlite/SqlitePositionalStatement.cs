using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>
/// A prepared SQLite statement bound by position and stepped directly. Microsoft.Data.Sqlite binds every parameter by
/// name, and SQLite looks each name up with a linear scan of the statement's names: a 250-parameter multi-row insert
/// spent a fifth of a large recompute binding. Values arrive already converted to their stored form.
/// </summary>
internal sealed class SqlitePositionalStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    private SqlitePositionalStatement(sqlite3 db, sqlite3_stmt statement)
    {
        _db = db;
        _statement = statement;
    }

    public static SqlitePositionalStatement Prepare(SqliteConnection connection, string sql)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, db);

        // SQLite numbers named parameters by first appearance; values are bound in @p0, @p1… order, so the two must agree.
        var count = raw.sqlite3_bind_parameter_count(statement);
        for (var i = 1; i <= count; i++)
        {
            if (raw.sqlite3_bind_parameter_name(statement, i).utf8_to_string() != $"@p{i - 1}")
            {
                statement.Dispose();
                throw new ArgumentException($"Parameters must be named @p0, @p1… in order of first appearance: {sql}", nameof(sql));
            }
        }

        return new SqlitePositionalStatement(db, statement);
    }

    /// <summary>Binds <paramref name="values"/> to ?1, ?2… in order, runs the statement and returns the rows it changed.</summary>
    public int Execute(ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            Bind(i + 1, values[i]);
        }

        var rc = raw.sqlite3_step(_statement);
        if (rc is not raw.SQLITE_DONE and not raw.SQLITE_ROW)
        {
            raw.sqlite3_reset(_statement);
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        raw.sqlite3_reset(_statement);
        return raw.sqlite3_changes(_db);
    }

    /// <summary>Binds <paramref name="values"/> to ?1, ?2… in order and calls <paramref name="row"/> on each row the statement returns.</summary>
    public void Query(ReadOnlySpan<object?> values, Action<sqlite3_stmt> row)
    {
        for (var i = 0; i < values.Length; i++)
        {
            Bind(i + 1, values[i]);
        }

        try
        {
            while (SqliteStatementCache.Step(_db, _statement))
            {
                row(_statement);
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    private void Bind(int index, object? value) => SqliteStatementCache.Bind(_db, _statement, index, value);

    public void Dispose() => _statement.Dispose();
}
