using Microsoft.EntityFrameworkCore;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>
/// The index pages a large write changes outgrow SQLite's 2 MB default page cache and spill half-written, and each spilt
/// page is written again later: the transaction's connection gets a larger cache for a large write (16 MB from 100 rows,
/// 64 MB from 1,000, such as a first sync's million group members; twice that cost a first sync of a dense directory
/// about 60 MB of its memory peak and saved it little time). Few pooled connections ever need it, so the rest keep the
/// default. Nothing on PostgreSQL, whose buffers are the server's.
/// </summary>
internal static class SqliteWriteCache
{
    public static async Task EnlargeAsync(ScimBridgeDbContext db, int rows, CancellationToken ct)
    {
        if (!db.IsSqlite || rows < 100)
        {
            return;
        }

        var pragma = rows switch
        {
            >= 1_000 => "PRAGMA cache_size=-65536",
            _ => "PRAGMA cache_size=-16384",
        };
        await db.Database.ExecuteSqlRawAsync(pragma, ct);
    }
}
