using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace ScimBridge.Model.Persistence.Postgres;

/// <summary>
/// Writes many rows of one entity type with PostgreSQL's binary COPY, the way EF Core would insert them: the model's
/// table, column names, store types and value converters. Keys the database generates (identity columns) are left to it.
/// One COPY costs a round trip or two whatever the row count; an INSERT per row costs one each.
/// </summary>
internal sealed class PostgresCopy<T>
    where T : class
{
    private readonly Column[] _columns;
    private readonly string _command;

    private PostgresCopy(string table, Column[] columns)
    {
        _columns = columns;
        _command = $"COPY {table} ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)";
    }

    public static PostgresCopy<T> For(IModel model)
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var table = entity.GetSchema() is { } schema ? $"\"{schema}\".\"{entity.GetTableName()}\"" : $"\"{entity.GetTableName()}\"";
        var columns = entity.GetProperties()
            .Where(p => !p.IsShadowProperty() && !IsIdentity(p))
            .Select(p => new Column(p.GetColumnName(store)!, DataTypeName(p.GetColumnType()), p.GetTypeMapping().Converter, Getter(p)))
            .ToArray();
        return new PostgresCopy<T>(table, columns);
    }

    public async Task WriteAsync(NpgsqlConnection connection, IEnumerable<T> rows, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(_command, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var column in _columns)
            {
                var value = column.Get(row);
                if (value is not null && column.Converter is { } converter)
                {
                    value = converter.ConvertToProvider(value);
                }

                if (value is null)
                {
                    await importer.WriteNullAsync(ct);
                }
                else
                {
                    await importer.WriteAsync(value, column.DataType, ct);
                }
            }
        }

        await importer.CompleteAsync(ct);
    }

    private static bool IsIdentity(IProperty property) =>
        property.IsPrimaryKey() && property.ValueGenerated == ValueGenerated.OnAdd && (property.ClrType == typeof(long) || property.ClrType == typeof(int));

    /// <summary>The type's name without its modifiers: <c>character varying(320)</c> is written as <c>character varying</c>.</summary>
    private static string DataTypeName(string storeType)
    {
        var open = storeType.IndexOf('(', StringComparison.Ordinal);
        return open < 0 ? storeType : storeType[..open].TrimEnd() + storeType[(storeType.IndexOf(')', StringComparison.Ordinal) + 1)..];
    }

    private static Func<T, object?> Getter(IProperty property)
    {
        var entity = Expression.Parameter(typeof(T));
        MemberExpression member = property.PropertyInfo is { GetMethod: not null } info
            ? Expression.Property(entity, info)
            : Expression.Field(entity, property.FieldInfo ?? throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} cannot be read."));
        return Expression.Lambda<Func<T, object?>>(Expression.Convert(member, typeof(object)), entity).Compile();
    }

    private sealed record Column(string Name, string DataType, ValueConverter? Converter, Func<T, object?> Get);
}
