using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// Inserts many new rows of one entity type with one prepared statement, bypassing change tracking: for the sync's
/// first run of 100,000 users, where tracking costs far more than the database. Columns, value conversions and
/// parameter types come from the EF model, so rows are stored exactly as EF would store them; store-generated keys
/// (identity columns) are left to the database and are not read back.
/// </summary>
internal static class BulkInsert
{
    public static async Task RunAsync<T>(ScimBridgeDbContext db, IEnumerable<T> rows, CancellationToken ct)
        where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entity.GetProperties()
            .Where(p => !(p.ValueGenerated == ValueGenerated.OnAdd && p.IsPrimaryKey() && p.ClrType == typeof(long)))
            .Select(p => (Property: p, Column: p.GetColumnName(table)!, Mapping: (RelationalTypeMapping)p.GetRelationalTypeMapping()))
            .ToList();

        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText =
            $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Column)))}) "
            + $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        var parameters = new DbParameter[columns.Count];
        var prepared = false;
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                var (property, _, mapping) = columns[i];
                var value = property.GetGetter().GetClrValue(row);
                if (parameters[i] is null)
                {
                    parameters[i] = mapping.CreateParameter(command, $"@p{i}", value, property.IsNullable);
                    command.Parameters.Add(parameters[i]);
                }
                else
                {
                    parameters[i].Value = (mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value) ?? DBNull.Value;
                }
            }
            if (!prepared)
            {
                await command.PrepareAsync(ct);
                prepared = true;
            }
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
