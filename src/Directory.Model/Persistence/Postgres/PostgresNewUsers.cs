using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence.Postgres;

/// <summary>
/// Writes new users to PostgreSQL with group commit: creates that arrive while a transaction is being written wait in a
/// queue and go into the next transaction together, on one dedicated connection. Saved one at a time through EF Core, a
/// create took about eight round trips inside the organization's audit-chain lock (begin, lock, uniqueness, last hash,
/// user, e-mails, audit entry, commit), so concurrent creates queued on that lock. Here a batch takes two: one for the
/// locks, the uniqueness checks of all its users and the last hashes, one for the rows (binary COPY) and the commit.
/// <para>
/// A taken userName or extension fails that user alone. Should the rows fail for any other reason (another process
/// inserted the same userName meanwhile), the batch is rolled back and its users are written one by one, so only the
/// one in error gets it.
/// </para>
/// </summary>
public sealed class PostgresNewUsers(ILogger<PostgresNewUsers> logger) : INewUserWriter, IAsyncDisposable
{
    /// <summary>At most this many users per transaction; the rest wait for the next one.</summary>
    private const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _start = new();
    private Task? _loop;
    private string? _connectionString;
    private PostgresNewUserStatements? _plan;
    private NpgsqlConnection? _connection;

    public async Task<bool> TryInsertAsync(ScimBridgeDbContext db, User user, AuditEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.IsSqlite)
        {
            return false;
        }

        _connectionString ??= db.Database.GetConnectionString();
        _plan ??= new PostgresNewUserStatements(db);
        EnsureStarted();
        var pending = new Pending(user, entry);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresNewUsers), "The service is shutting down.");
        }

        // Not cancellable: once queued the user may be committed, and the caller must learn which.
        await pending.Done.Task;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is { } loop)
        {
            await loop;
        }

        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
            _connection = null;
        }
    }

    private void EnsureStarted()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_start)
        {
            _loop ??= Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                await WriteAsync(batch);
            }
            catch (Exception e) when (batch.Count > 1 && e is PostgresException or NpgsqlException)
            {
                logger.LogWarning(e, "Writing {Count} new users together failed; they are written one by one", batch.Count);
                foreach (var pending in batch)
                {
                    await WriteAloneAsync(pending);
                }
            }
            catch (Exception e)
            {
                logger.LogError(e, "Writing {Count} new users failed", batch.Count);
                Fail(batch, e);
            }

            batch.Clear();
        }
    }

    private async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            await WriteAsync([pending]);
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(_plan!.Translate(e, pending.User));
        }
    }

    /// <summary>Commits the batch; completes the task of every user in it.</summary>
    private async Task WriteAsync(List<Pending> batch)
    {
        var connection = await ConnectionAsync();
        var plan = _plan!;
        try
        {
            await using var transaction = await plan.BeginAsync(connection, [.. batch.Select(p => p.User)], CancellationToken.None);
            var written = new List<Pending>(batch.Count);
            var refused = new List<(Pending Pending, Exception Error)>();
            foreach (var pending in batch)
            {
                if (transaction.Conflict(pending.User) is { } conflict)
                {
                    refused.Add((pending, conflict));
                    continue;
                }

                transaction.Chain(pending.Entry);
                written.Add(pending);
            }

            await plan.InsertAsync(connection, [.. written.Select(p => p.User)], [.. written.Select(p => p.Entry)], CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            foreach (var pending in written)
            {
                pending.Done.TrySetResult();
            }

            foreach (var (pending, error) in refused)
            {
                pending.Done.TrySetException(error);
            }
        }
        catch (Exception e) when (e is PostgresException or NpgsqlException)
        {
            // The transaction rolled back when it was disposed; a connection that broke is replaced by the next batch.
            if (connection.State != System.Data.ConnectionState.Open)
            {
                await connection.DisposeAsync();
                _connection = null;
            }

            throw;
        }
    }

    private async Task<NpgsqlConnection> ConnectionAsync()
    {
        if (_connection is { State: System.Data.ConnectionState.Open } open)
        {
            return open;
        }

        if (_connection is { } broken)
        {
            await broken.DisposeAsync();
        }

        _connection = new NpgsqlConnection(_connectionString);
        await _connection.OpenAsync();
        return _connection;
    }

    private static void Fail(List<Pending> batch, Exception error)
    {
        foreach (var pending in batch)
        {
            pending.Done.TrySetException(error);
        }
    }

    private sealed class Pending(User user, AuditEntry entry)
    {
        public User User { get; } = user;
        public AuditEntry Entry { get; } = entry;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
