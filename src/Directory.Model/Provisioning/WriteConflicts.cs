using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Model.Provisioning;

/// <summary>
/// Optimistic concurrency for provisioning: a user's or group's save lands only on the version it read (the version is
/// a concurrency token, checked in the UPDATE itself, so the check and the write are one step on SQLite and PostgreSQL).
/// A save that lost the race starts its read-decide-write over on fresh rows, so concurrent changes never overwrite each
/// other; a caller that demands the version it read (If-Match) then sees the new version and refuses.
/// </summary>
internal static class WriteConflicts
{
    /// <summary>Each lost race means another write landed; this many in a row only happens under a storm of writers.</summary>
    private const int MaxAttempts = 20;

    private const string PostgresUniqueViolation = "23505";
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>
    /// Runs <paramref name="attempt"/> (read, check, decide, stage, save) again on fresh rows while its save loses a race
    /// with a concurrent writer; <paramref name="reset"/> forgets what the lost attempt staged. Inside a caller's
    /// transaction a lost race cannot be retried and is thrown.
    /// </summary>
    public static async Task<T> RetryAsync<T>(ScimBridgeDbContext db, Func<Task<T>> attempt, Action reset, CancellationToken ct)
    {
        // Read before the attempt: while an exception filter runs, the attempt's own transaction is not disposed yet.
        var retriable = db.Database.CurrentTransaction is null;
        for (var attempts = 1; ; attempts++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return await attempt();
            }
            catch (DbUpdateException e) when (retriable && attempts < MaxAttempts && IsLostRace(e))
            {
                db.DiscardUnsaved();
                reset();
            }
        }
    }

    /// <summary>
    /// A version that moved since the read, or a row already deleted by another writer. (Member rows cannot collide:
    /// they are written with ON CONFLICT DO NOTHING, and the group's version guards what was decided from them.)
    /// </summary>
    public static bool IsLostRace(DbUpdateException e) => e is DbUpdateConcurrencyException;
}
