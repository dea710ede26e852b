using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SQLitePCL;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>
/// Inserts an entity's row through a raw SQLite statement the way EF Core would: the model's table and column names,
/// value converters and members. A store-generated integer key is left to SQLite and read back. Navigations are the
/// caller's to write.
/// </summary>
internal sealed class SqliteRowWriter<T>
    where T : class
{
    private readonly Column[] _columns;
    private readonly IProperty? _generatedKey;

    private SqliteRowWriter(string table, Column[] columns, IProperty? generatedKey)
    {
        _columns = columns;
        _generatedKey = generatedKey;
        var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        var values = string.Join(", ", columns.Select((_, i) => $"?{i + 1}"));
        InsertSql = $"INSERT INTO \"{table}\" ({names}) VALUES ({values})";
    }

    /// <summary>The INSERT of one row, parameters in column order.</summary>
    public string InsertSql { get; }

    public static SqliteRowWriter<T> For(IModel model)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        if (entity.GetProperties().FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
        {
            throw new NotSupportedException($"{typeof(T).Name}.{shadow.Name} is a shadow property; raw inserts cannot fill it.");
        }

        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var generated = entity.FindPrimaryKey()!.Properties is [{ ValueGenerated: ValueGenerated.OnAdd } key] && key.ClrType == typeof(long) ? key : null;
        var columns = entity.GetProperties()
            .Where(p => p != generated)
            .Select(p => new Column(p.GetColumnName(store)!, p.GetTypeMapping().Converter, p.GetGetter()))
            .ToArray();
        return new SqliteRowWriter<T>(entity.GetTableName()!, columns, generated);
    }

    /// <summary>Inserts <paramref name="row"/> on <paramref name="connection"/>; a generated key is set on the entity.</summary>
    public void Insert(sqlite3 connection, T row)
    {
        var values = new object?[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            var value = column.Getter.GetClrValue(row);
            values[i] = value is not null && column.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }

        SqliteStatementCache.Run(connection, InsertSql, values);
        if (_generatedKey is not null)
        {
            _generatedKey.PropertyInfo!.SetValue(row, raw.sqlite3_last_insert_rowid(connection));
        }
    }

    private sealed record Column(string Name, ValueConverter? Converter, IClrPropertyGetter Getter);
}
