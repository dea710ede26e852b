using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SQLitePCL;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>
/// Materializes an entity's scalar columns from a raw SQLite row the way EF Core would: the model's column names,
/// value converters and members. Navigations are left to the caller.
/// </summary>
internal sealed class SqliteRowReader<T>
    where T : class, new()
{
    // A compiled constructor call: new T() in generic code goes through Activator on every row.
    private static readonly Func<T> Create = Expression.Lambda<Func<T>>(Expression.New(typeof(T))).Compile();
    private readonly Column[] _columns;

    private SqliteRowReader(Column[] columns)
    {
        _columns = columns;
        SelectList = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
    }

    /// <summary>Every column, quoted, in the order <see cref="Read"/> expects them.</summary>
    public string SelectList { get; }

    public static SqliteRowReader<T> For(IModel model)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Where(p => !p.IsShadowProperty())
            .Select(p => new Column(p.GetColumnName(store)!, ProviderType(p), p.GetTypeMapping().Converter, Setter(p)))
            .ToArray();
        return new SqliteRowReader<T>(columns);
    }

    /// <summary>The entity in the current row, its columns starting at <paramref name="first"/>.</summary>
    public T Read(sqlite3_stmt statement, int first = 0)
    {
        var entity = Create();
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            var value = ReadValue(statement, first + i, column.ProviderType);
            column.Set(entity, value is not null && column.Converter is { } converter ? converter.ConvertFromProvider(value) : value);
        }

        return entity;
    }

    private static object? ReadValue(sqlite3_stmt statement, int index, Type type)
    {
        if (raw.sqlite3_column_type(statement, index) == raw.SQLITE_NULL)
        {
            return null;
        }

        return type switch
        {
            _ when type == typeof(string) => raw.sqlite3_column_text(statement, index).utf8_to_string(),
            _ when type == typeof(Guid) => Guid.Parse(raw.sqlite3_column_text(statement, index).utf8_to_string()),
            _ when type == typeof(long) => raw.sqlite3_column_int64(statement, index),
            _ when type == typeof(int) => (int)raw.sqlite3_column_int64(statement, index),
            _ when type == typeof(short) => (short)raw.sqlite3_column_int64(statement, index),
            _ when type == typeof(byte) => (byte)raw.sqlite3_column_int64(statement, index),
            _ when type == typeof(bool) => raw.sqlite3_column_int64(statement, index) != 0,
            _ when type == typeof(double) => raw.sqlite3_column_double(statement, index),
            _ when type == typeof(byte[]) => raw.sqlite3_column_blob(statement, index).ToArray(),
            _ => throw new NotSupportedException($"Reading {typeof(T).Name} columns of type {type.Name} from SQLite directly is not supported."),
        };
    }

    private static Type ProviderType(IProperty property)
    {
        var type = property.GetTypeMapping().Converter?.ProviderClrType ?? property.ClrType;
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsEnum ? Enum.GetUnderlyingType(type) : type;
    }

    private static Action<T, object?> Setter(IProperty property)
    {
        var entity = Expression.Parameter(typeof(T));
        var value = Expression.Parameter(typeof(object));
        MemberExpression target = property.PropertyInfo is { SetMethod: not null } info
            ? Expression.Property(entity, info)
            : Expression.Field(entity, property.FieldInfo ?? throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} cannot be set."));
        var converted = ((FieldInfo?)(target.Member as FieldInfo))?.FieldType ?? ((PropertyInfo)target.Member).PropertyType;
        var assign = Expression.Assign(target, Expression.Convert(value, converted));
        return Expression.Lambda<Action<T, object?>>(assign, entity, value).Compile();
    }

    private sealed record Column(string Name, Type ProviderType, ValueConverter? Converter, Action<T, object?> Set);
}
