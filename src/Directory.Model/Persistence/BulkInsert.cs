using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// Inserts new rows of one entity type, every mapped column, through one <see cref="BulkCommand"/> inside the current
/// transaction: the sync's first run of 100,000 users without change tracking. Identity keys are left to the database.
/// </summary>
internal static class BulkInsert
{
    public static async Task RunAsync<T>(ScimBridgeDbContext db, IEnumerable<T> rows, CancellationToken ct)
        where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var columns = entity.GetProperties()
            .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd && p.ClrType == typeof(long)))
            .ToList();
        var (table, column) = BulkCommand.Names<T>(db);
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns.Select(p => column(p.Name)))}) "
            + $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        var getters = columns.Select(p => p.GetGetter()).ToArray();
        var values = new object?[columns.Count];
        await using var insert = await BulkCommand.PrepareAsync(db, sql, columns, ct);
        foreach (var row in rows)
        {
            for (var i = 0; i < getters.Length; i++)
            {
                values[i] = getters[i].GetClrValue(row);
            }
            await insert.ExecuteAsync(ct, values);
        }
    }
}
