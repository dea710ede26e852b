using Microsoft.EntityFrameworkCore;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>
/// Units of work on a SQLite file. Reads go through the memory map (<see cref="SqliteMemoryMap"/>) and may use the pooled
/// read connections (<see cref="SqliteUserReader"/>); they leave EF Core's connection alone, since the user lookups do not
/// use it and each open of it registers EF's SQL functions anew. Writes keep EF Core's connection open from start to end.
/// </summary>
public sealed class SqliteDatabaseWorkScope(ScimBridgeDbContext db, SqliteMemoryMap memoryMap, SqliteUserReader reader) : IDatabaseWorkScope
{
    public async Task<T> RunAsync<T>(DatabaseWork work, Func<Task<T>> body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        switch (work)
        {
            case DatabaseWork.Reads:
                memoryMap.ForReads();
                reader.BeginReads();
                try
                {
                    return await body();
                }
                finally
                {
                    reader.EndReads();
                }

            case DatabaseWork.Writes:
                await db.Database.OpenConnectionAsync(ct);
                try
                {
                    return await body();
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }

            default:
                return await body();
        }
    }
}
