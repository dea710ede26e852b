using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;

using Pending = ScimBridge.Model.Persistence.NewUserQueue.NewUser;

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
public sealed class PostgresNewUsers : INewUserWriter, IAsyncDisposable
{
    /// <summary>At most this many users per transaction; the rest wait for the next one.</summary>
    private const int MaxBatch = 256;

    private readonly NewUserQueue _queue;
    private readonly ILogger<PostgresNewUsers> _logger;
    private string? _connectionString;
    private PostgresNewUserStatements? _plan;
    private NpgsqlConnection? _connection;

    public PostgresNewUsers(ILogger<PostgresNewUsers> logger)
    {
        _logger = logger;
        _queue = new NewUserQueue(MaxBatch, WriteBatchAsync, nameof(PostgresNewUsers));
    }

    public async Task<bool> TryInsertAsync(ScimBridgeDbContext db, User user, AuditEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.IsSqlite)
        {
            return false;
        }

        _connectionString ??= db.Database.GetConnectionString();
        _plan ??= new PostgresNewUserStatements(db);
        await _queue.WriteAsync(user, entry);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _queue.CompleteAsync();
        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
            _connection = null;
        }
    }

    /// <summary>One transaction's batch; should it fail as a whole, its users are written one by one.</summary>
    private async Task WriteBatchAsync(List<Pending> batch)
    {
        try
        {
            await WriteAsync(batch);
        }
        catch (Exception e) when (batch.Count > 1 && e is PostgresException or NpgsqlException)
        {
            _logger.LogWarning(e, "Writing {Count} new users together failed; they are written one by one", batch.Count);
            foreach (var pending in batch)
            {
                await WriteAloneAsync(pending);
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Writing {Count} new users failed", batch.Count);
            Fail(batch, e);
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
}
