using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Configurations;

namespace ScimBridge.Model.Reconcile;

/// <summary>
/// The database allows one <see cref="SyncRunStatus.Running"/> run per source (a unique partial index): a run claims its
/// source by inserting its row, and the insert of a second one fails. This tells that failure from any other.
/// </summary>
public static class SyncRunClaims
{
    private const string PostgresUniqueViolation = "23505";
    private const int SqliteConstraintUnique = 2067;

    /// <summary>Whether <paramref name="e"/> is a run's insert refused because another run of its source is running.</summary>
    public static bool IsAnotherRunning(ScimBridgeDbContext db, DbUpdateException e)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(e);
        return e.InnerException switch
        {
            PostgresException { SqlState: PostgresUniqueViolation } pg => pg.ConstraintName == SyncRunConfiguration.RunningIndex,
            SqliteException { SqliteExtendedErrorCode: SqliteConstraintUnique } => e.Entries.Any(entry => entry.Entity is SyncRun),
            _ => false,
        };
    }
}
