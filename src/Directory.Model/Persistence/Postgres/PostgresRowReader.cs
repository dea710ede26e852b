using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ScimBridge.Model.Persistence.Postgres;

/// <summary>
/// Materializes an entity's scalar columns from a raw PostgreSQL row the way EF Core would: the model's column names,
/// value converters and members, each column read as the type EF Core reads it. Navigations are left to the caller.
/// </summary>
internal sealed class PostgresRowReader<T>
    where T : class, new()
{
    private static readonly Func<T> Create = Expression.Lambda<Func<T>>(Expression.New(typeof(T))).Compile();
    private static readonly MethodInfo GetFieldValue = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetFieldValue))!;
    private readonly Column[] _columns;

    private PostgresRowReader(Column[] columns)
    {
        _columns = columns;
        SelectList = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
    }

    /// <summary>Every column, quoted, in the order <see cref="Read"/> expects them.</summary>
    public string SelectList { get; }

    /// <summary>The select list with each column prefixed by <paramref name="alias"/>.</summary>
    public string SelectListOf(string alias) => string.Join(", ", _columns.Select(c => $"{alias}.\"{c.Name}\""));

    public static PostgresRowReader<T> For(IModel model)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Where(p => !p.IsShadowProperty())
            .Select(p => new Column(p.GetColumnName(store)!, Reader(p), p.GetTypeMapping().Converter, Setter(p)))
            .ToArray();
        return new PostgresRowReader<T>(columns);
    }

    /// <summary>The entity in the current row, its columns starting at <paramref name="first"/>.</summary>
    public T Read(DbDataReader reader, int first = 0)
    {
        var entity = Create();
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            var value = reader.IsDBNull(first + i) ? null : column.Read(reader, first + i);
            column.Set(entity, value is not null && column.Converter is { } converter ? converter.ConvertFromProvider(value) : value);
        }

        return entity;
    }

    /// <summary>Reads a column as the provider type EF Core reads (a timestamptz as DateTimeOffset, not DateTime).</summary>
    private static Func<DbDataReader, int, object?> Reader(IProperty property)
    {
        var type = property.GetTypeMapping().Converter?.ProviderClrType ?? property.ClrType;
        type = Nullable.GetUnderlyingType(type) ?? type;
        var reader = Expression.Parameter(typeof(DbDataReader));
        var ordinal = Expression.Parameter(typeof(int));
        var call = Expression.Call(reader, GetFieldValue.MakeGenericMethod(type), ordinal);
        return Expression.Lambda<Func<DbDataReader, int, object?>>(Expression.Convert(call, typeof(object)), reader, ordinal).Compile();
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

    private sealed record Column(string Name, Func<DbDataReader, int, object?> Read, ValueConverter? Converter, Action<T, object?> Set);
}
