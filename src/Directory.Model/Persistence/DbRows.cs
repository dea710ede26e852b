using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ScimBridge.Model.Persistence;

/// <summary>A value bound to a plain statement as EF Core binds it for <paramref name="Column"/> (GUID text on SQLite, uuid on PostgreSQL).</summary>
internal readonly record struct DbValue(IProperty Column, object Value);

/// <summary>
/// Plain statements read row by row on EF Core's connection (in its transaction when there is one), on SQLite and
/// PostgreSQL alike, for reads of tens of thousands of rows: EF Core's async query enumeration costs more per row
/// (its concurrency detector and async-locals are set for every row) than reading the row itself, and every query
/// shape is compiled once per process.
/// </summary>
internal static class DbRows
{
    /// <summary>Runs <paramref name="sql"/>, whose parameters are <c>@p0</c>… in the order of <paramref name="values"/>, and hands each row to <paramref name="row"/>.</summary>
    public static async Task ReadAsync(ScimBridgeDbContext db, string sql, IReadOnlyList<DbValue> values, Action<DbDataReader> row, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = sql;
            for (var i = 0; i < values.Count; i++)
            {
                var mapping = (RelationalTypeMapping)values[i].Column.GetRelationalTypeMapping();
                var value = values[i].Value;
                command.Parameters.Add(mapping.CreateParameter(command, $"@p{i}", mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value));
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                row(reader);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Numbers written into the statement: <c>IN (1,2,3)</c> reads the same on both databases and binds nothing.</summary>
    public static string List(IEnumerable<long> numbers) => string.Join(",", numbers.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
