using Microsoft.EntityFrameworkCore;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// Units of work on EF Core's connection: reads and writes keep one connection open from start to end, which EF would
/// otherwise take from its pool and give back for every query.
/// </summary>
public sealed class EfDatabaseWorkScope(ScimBridgeDbContext db) : IDatabaseWorkScope
{
    public async Task<T> RunAsync<T>(DatabaseWork work, Func<Task<T>> body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (work == DatabaseWork.WritesOnDemand)
        {
            return await body();
        }

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await body();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
