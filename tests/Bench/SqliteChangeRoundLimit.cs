using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace ScimBridge.Bench;

/// <summary>
/// The change round's raw SQLite limit: on a copy of the database as it was before the change round, the same
/// deactivation UPDATE of the same users and the DELETE of the same member rows, committed once, through
/// Microsoft.Data.Sqlite with the settings the product's connections use; printed next to the change round's apply time.
/// </summary>
internal static partial class SqliteChangeRoundLimit
{
    /// <param name="before">The database before the change round.</param>
    /// <param name="after">The database the change round left.</param>
    public static string Measure(string before, string after, string folder, string changeRoundOutput)
    {
        var copy = Path.Combine(folder, "raw-limit.db");
        File.Copy(before, copy, overwrite: true);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
        connection.Open();
        Run(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;");

        // What the change round changed, found by comparing the two files (outside the timing).
        Run(connection, $"ATTACH '{after.Replace("'", "''", StringComparison.Ordinal)}' AS after");
        var users = Run(connection, "CREATE TEMP TABLE gone AS SELECT b.\"Id\" FROM main.\"Users\" b JOIN after.\"Users\" a ON a.\"Id\" = b.\"Id\" " +
                                    "WHERE a.\"Status\" = 'Deactivated' AND b.\"Status\" <> 'Deactivated'; SELECT COUNT(*) FROM temp.gone");
        var rows = Run(connection, "CREATE TEMP TABLE removed AS SELECT b.\"GroupKey\", b.\"MemberKey\" FROM main.\"GroupMembers\" b WHERE NOT EXISTS " +
                                   "(SELECT 1 FROM after.\"GroupMembers\" a WHERE a.\"GroupKey\" = b.\"GroupKey\" AND a.\"MemberKey\" = b.\"MemberKey\") " +
                                   "ORDER BY 1, 2; SELECT COUNT(*) FROM temp.removed");
        Run(connection, "DETACH after");

        var now = TimeProvider.System.GetUtcNow().UtcTicks;
        Run(connection, "BEGIN IMMEDIATE");
        var clock = Stopwatch.StartNew();
        Run(connection, "UPDATE \"Users\" SET \"StatusBeforeDeactivation\" = \"Status\", \"Status\" = 'Deactivated', " +
                        $"\"DeactivatedAt\" = {now}, \"DeactivatedBy\" = 'bench', \"UpdatedAt\" = {now}, \"Version\" = \"Version\" + 1 " +
                        "WHERE \"Id\" IN (SELECT \"Id\" FROM temp.gone)");
        var update = clock.Elapsed;
        Run(connection, "DELETE FROM \"GroupMembers\" WHERE (\"GroupKey\", \"MemberKey\") IN (SELECT \"GroupKey\", \"MemberKey\" FROM temp.removed)");
        var delete = clock.Elapsed - update;
        Run(connection, "COMMIT");
        var total = clock.Elapsed;
        connection.Close();
        foreach (var file in new[] { copy, copy + "-wal", copy + "-shm" })
        {
            File.Delete(file);
        }

        var apply = ApplyPattern().Match(changeRoundOutput) is { Success: true } match ? $"{match.Groups[1].Value} ms" : "not printed";
        return string.Create(CultureInfo.InvariantCulture,
            $"change round applied in {apply}; its raw SQLite limit {total.TotalMilliseconds:F0} ms: UPDATE of {users} users {update.TotalMilliseconds:F0} ms + " +
            $"DELETE of {rows} member rows {delete.TotalMilliseconds:F0} ms + COMMIT {(total - update - delete).TotalMilliseconds:F0} ms");
    }

    private static object? Run(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>The reconciler's line that times the apply phase.</summary>
    [GeneratedRegex(@"Reconcile of .*, applied in (\d+) ms")]
    private static partial Regex ApplyPattern();
}
