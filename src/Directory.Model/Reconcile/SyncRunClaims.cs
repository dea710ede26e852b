using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
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

    /// <summary>Whether <paramref name="e"/>, raised by the insert of a run's row alone, is a refusal because another run of its source is running.</summary>
    public static bool IsAnotherRunning(DbException e) => e switch
    {
        PostgresException { SqlState: PostgresUniqueViolation } pg => pg.ConstraintName == SyncRunConfiguration.RunningIndex,
        SqliteException { SqliteExtendedErrorCode: SqliteConstraintUnique } => true,
        _ => false,
    };
}
