using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// One prepared statement executed once per row inside the current transaction: the fast path for writing
/// hundreds of thousands of rows without change tracking. Parameters use the model's type mappings and
/// converters, so values land exactly as EF Core would store them (GUID text on SQLite, ticks, enum names).
/// </summary>
internal sealed class BulkCommand : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly ValueConverter?[] _converters;

    private BulkCommand(DbCommand command, ValueConverter?[] converters)
    {
        _command = command;
        _converters = converters;
    }

    /// <summary>Prepares <paramref name="sql"/>, whose parameters are <c>@p0</c>… in the order of <paramref name="columns"/>.</summary>
    public static async Task<BulkCommand> PrepareAsync(ScimBridgeDbContext db, string sql, IReadOnlyList<IProperty> columns, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Bulk writes run inside a transaction.");
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = sql;
        var converters = new ValueConverter?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var mapping = (RelationalTypeMapping)columns[i].GetRelationalTypeMapping();
            command.Parameters.Add(mapping.CreateParameter(command, $"@p{i}", null, nullable: true));
            converters[i] = mapping.Converter;
        }

        await command.PrepareAsync(ct);
        return new BulkCommand(command, converters);
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

    public async Task ExecuteAsync(CancellationToken ct, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i] is { } v && _converters[i] is { } converter ? converter.ConvertToProvider(v) : values[i];
            _command.Parameters[i].Value = value ?? DBNull.Value;
        }

        await _command.ExecuteNonQueryAsync(ct);
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
