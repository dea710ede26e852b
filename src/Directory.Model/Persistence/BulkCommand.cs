using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence.Sqlite;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// One prepared statement executed once per row inside the current transaction: the fast path for writing
/// hundreds of thousands of rows without change tracking. Parameters use the model's type mappings and
/// converters, so values land exactly as EF Core would store them (GUID text on SQLite, ticks, enum names).
/// </summary>
internal sealed class BulkCommand : IAsyncDisposable
{
    private readonly DbCommand? _command;
    private readonly SqlitePositionalStatement? _sqlite;
    private readonly ValueConverter?[] _converters;
    private readonly object?[] _values;

    private BulkCommand(DbCommand? command, SqlitePositionalStatement? sqlite, ValueConverter?[] converters)
    {
        _command = command;
        _sqlite = sqlite;
        _converters = converters;
        _values = new object?[converters.Length];
    }

    /// <summary>Prepares <paramref name="sql"/>, whose parameters are <c>@p0</c>… in the order of <paramref name="columns"/>.</summary>
    public static async Task<BulkCommand> PrepareAsync(ScimBridgeDbContext db, string sql, IReadOnlyList<IProperty> columns, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Bulk writes run inside a transaction.");
        var converters = new ValueConverter?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            converters[i] = ((RelationalTypeMapping)columns[i].GetRelationalTypeMapping()).Converter;
        }

        if (db.Database.GetDbConnection() is SqliteConnection sqlite)
        {
            // SQLite reads @p0… as named parameters numbered in order of appearance, which is the order values are bound in.
            return new BulkCommand(null, SqlitePositionalStatement.Prepare(sqlite, sql), converters);
        }

        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = sql;
        for (var i = 0; i < columns.Count; i++)
        {
            var mapping = (RelationalTypeMapping)columns[i].GetRelationalTypeMapping();
            command.Parameters.Add(mapping.CreateParameter(command, $"@p{i}", null, nullable: true));
        }

        await command.PrepareAsync(ct);
        return new BulkCommand(command, null, converters);
    }

    /// <summary>Table and column names of an entity, quoted for the provider.</summary>
    public static (string Table, Func<string, string> Column) Names<T>(ScimBridgeDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(T))!;
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return (sql.DelimitIdentifier(entity.GetTableName()!),
            property => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!));
    }

    public static IProperty Column<T>(ScimBridgeDbContext db, string property) =>
        db.Model.FindEntityType(typeof(T))!.FindProperty(property)!;

    /// <summary>Runs the statement with <paramref name="values"/>; returns the rows it changed.</summary>
    public async Task<int> ExecuteAsync(CancellationToken ct, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            _values[i] = values[i] is { } v && _converters[i] is { } converter ? converter.ConvertToProvider(v) : values[i];
        }

        if (_sqlite is not null)
        {
            ct.ThrowIfCancellationRequested();
            return _sqlite.Execute(_values);
        }

        for (var i = 0; i < values.Length; i++)
        {
            _command!.Parameters[i].Value = _values[i] ?? DBNull.Value;
        }

        return await _command!.ExecuteNonQueryAsync(ct);
    }

    public ValueTask DisposeAsync()
    {
        _sqlite?.Dispose();
        return _command?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
