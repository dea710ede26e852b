using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>
/// Copies committed pages from the SQLite write-ahead log into the database file in the background, a few times a
/// second. Left to SQLite, the checkpoint runs inside whichever commit crosses 1,000 log pages: that write transaction,
/// and every write queued behind it, then waits for about 4 MB of page writes and an fsync. Connections keep
/// SQLite's own checkpoint as a backstop at 10,000 pages (<see cref="SqlitePragmas"/>), for a process without this service.
/// </summary>
public sealed class SqliteCheckpointer(IOptions<DatabaseOptions> options, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new SqliteConnectionStringBuilder(options.Value.ConnectionString) { Pooling = false }.ToString();
        using var timer = new PeriodicTimer(Interval);
        SqliteConnection? connection = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (connection is null)
                    {
                        connection = new SqliteConnection(connectionString);
                        await connection.OpenAsync(stoppingToken);
                    }

                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (SqliteException e)
                {
                    // A missing or locked file now is no reason to stop: SQLite's own checkpoint still backs this up.
                    logger.LogWarning(e, "Background WAL checkpoint failed; retrying in {Interval}", Interval);
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            connection?.Dispose();
        }
    }
}
