using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SQLitePCL;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>
/// Copies committed pages from the SQLite write-ahead log into the database file in the background, a few times a
/// second. Left to SQLite, the checkpoint runs inside whichever commit crosses 1,000 log pages: that write transaction,
/// and every write queued behind it, then waits for about 4 MB of page writes and an fsync. Connections keep
/// SQLite's own checkpoint as a backstop at 10,000 pages (<see cref="SqlitePragmas"/>), for a process without this service.
/// <para>
/// Stopping interrupts a checkpoint under way: the pages it has not copied stay in the log, where committed pages are
/// safe until the next checkpoint. In a short-lived process (<see cref="SqliteShortLivedProcess"/>) stopping then syncs
/// the log to disk, so every commit is as durable as the checkpoint SQLite would otherwise run when the last
/// connection closes, which such a process skips (the next process to open the database takes the log over).
/// </para>
/// </summary>
public sealed class SqliteCheckpointer(IOptions<DatabaseOptions> options, ILogger<SqliteCheckpointer> logger, SqliteShortLivedProcess? shortLived = null)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private SqliteConnection? _connection;
    private bool _stopping;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new SqliteConnectionStringBuilder(options.Value.ConnectionString) { Pooling = false }.ToString();
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    SqliteConnection connection;
                    lock (_lock)
                    {
                        if (_stopping)
                        {
                            return;
                        }

                        connection = _connection ??= Open(connectionString);
                    }

                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (SqliteException e)
                {
                    if (_stopping)
                    {
                        return;
                    }

                    // A missing or locked file now is no reason to stop: SQLite's own checkpoint still backs this up.
                    logger.LogWarning(e, "Background WAL checkpoint failed; retrying in {Interval}", Interval);
                    Close();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Close();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _stopping = true;
            if (_connection?.Handle is { } handle)
            {
                raw.sqlite3_interrupt(handle);
            }
        }

        var started = ExecuteTask is not null;
        await base.StopAsync(cancellationToken);
        if (shortLived is not null && started)
        {
            SyncLog();
        }
    }

    private SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            if (shortLived is not null)
            {
                SqlitePragmas.LeaveLogOnClose(connection);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Close()
    {
        lock (_lock)
        {
            _connection?.Dispose();
            _connection = null;
        }
    }

    /// <summary>Writes the log's committed pages to disk (an fsync of the -wal file), as a checkpoint would first.</summary>
    private void SyncLog()
    {
        var dataSource = new SqliteConnectionStringBuilder(options.Value.ConnectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource.StartsWith(':') || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var log = Path.GetFullPath(dataSource) + "-wal";
        try
        {
            using var file = File.OpenHandle(log, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // No log: everything is in the database file already.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "The write-ahead log {Log} could not be synced to disk; the last commits are on disk once the system writes them", log);
        }
    }
}

/// <summary>
/// Registered by a process that runs one admin command and exits (CommandHost). Its SQLite connections close without
/// checkpointing the write-ahead log, and <see cref="SqliteCheckpointer"/> syncs the log when it stops instead: a
/// command that wrote much (a sync run deactivating thousands) no longer spends its last fraction of a second copying
/// pages into the database file, and the next process to open the database takes the log over.
/// </summary>
public sealed class SqliteShortLivedProcess;
