using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;
using SQLitePCL;

using Pending = ScimBridge.Model.Persistence.NewUserQueue.NewUser;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>
/// Writes new users to a SQLite file with group commit: creates that arrive while a transaction is being written wait
/// in a queue and go into the next transaction together, on one dedicated connection with statements prepared once.
/// An IdP pushing thousands of users otherwise pays per user for a transaction, a WAL commit of every index page the
/// user touched and a cold page cache (each request borrowed whichever pooled connection was free).
/// <para>
/// Each user is checked for a taken userName and extension inside the transaction, so a conflict fails that user alone;
/// the audit entry is chained in the same transaction, as every audited save is. Should an insert fail for any other
/// reason, the transaction is rolled back, that user gets the error and the others are written again without it.
/// </para>
/// The writer takes the process's <see cref="SqliteWriteGate"/> for each transaction, so it never races EF Core's writes.
/// </summary>
public sealed class SqliteNewUsers : INewUserWriter, IAsyncDisposable
{
    /// <summary>At most this many users per transaction; the rest wait for the next one.</summary>
    private const int MaxBatch = 128;

    private readonly NewUserQueue _queue;
    private readonly SqliteWriteGate _gate;
    private readonly ILogger<SqliteNewUsers> _logger;
    private string? _file;
    private Plan? _plan;
    private sqlite3? _connection;

    public SqliteNewUsers(SqliteWriteGate gate, ILogger<SqliteNewUsers> logger)
    {
        _gate = gate;
        _logger = logger;
        _queue = new NewUserQueue(MaxBatch, WriteAsync, nameof(SqliteNewUsers));
    }

    /// <summary>
    /// Inserts <paramref name="user"/> (with e-mails and phone numbers) and its audit entry, committed once the transaction
    /// they join commits. False, with nothing written, when <paramref name="db"/> is not a SQLite file; the caller then
    /// saves through EF Core. A taken userName or extension throws <see cref="UniquenessConflictException"/>.
    /// </summary>
    public async Task<bool> TryInsertAsync(ScimBridgeDbContext db, User user, AuditEntry entry, CancellationToken ct)
    {
        if (!db.IsSqlite)
        {
            return false;
        }

        var file = _file ??= await SqliteNativeConnection.FileOfAsync(db, ct);
        if (file.Length == 0)
        {
            return false;
        }

        _plan ??= new Plan(db);
        await _queue.WriteAsync(user, entry);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _queue.CompleteAsync();
        if (_connection is { } connection)
        {
            SqliteNativeConnection.Close(connection);
            _connection = null;
        }
    }

    /// <summary>One transaction's batch, inside the process's write gate.</summary>
    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            using (await _gate.EnterAsync(CancellationToken.None))
            {
                Write(batch);
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Writing {Count} new users failed", batch.Count);
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }
        }
    }

    /// <summary>Commits the batch, retrying without any user whose insert fails; completes every user's task.</summary>
    private void Write(List<Pending> batch)
    {
        var connection = _connection ??= SqliteNativeConnection.Open(_file!, SqlitePragmas.Pragmas);
        var plan = _plan!;
        var remaining = new List<Pending>(batch);
        while (remaining.Count > 0)
        {
            var written = new List<Pending>(remaining.Count);
            var refused = new List<(Pending Pending, Exception Error)>();
            Pending? current = null;
            try
            {
                SqliteStatementCache.Run(connection, "BEGIN IMMEDIATE", []);
                var heads = new Dictionary<Guid, string>();
                foreach (var pending in remaining)
                {
                    if (plan.Conflict(connection, pending.User) is { } conflict)
                    {
                        refused.Add((pending, conflict));
                        continue;
                    }

                    current = pending;
                    plan.Insert(connection, pending, heads);
                    current = null;
                    written.Add(pending);
                }

                SqliteStatementCache.Run(connection, "COMMIT", []);
            }
            catch (SqliteException e) when (current is not null)
            {
                Rollback(connection);
                _logger.LogWarning(e, "Inserting new user {UserName} failed; the others are written without it", current.User.UserName);
                current.Done.TrySetException(e);
                remaining.Remove(current);
                continue;
            }
            catch
            {
                Rollback(connection);
                throw;
            }

            foreach (var pending in written)
            {
                pending.Done.TrySetResult();
            }

            foreach (var (pending, error) in refused)
            {
                pending.Done.TrySetException(error);
            }

            return;
        }
    }

    private static void Rollback(sqlite3 connection)
    {
        if (raw.sqlite3_get_autocommit(connection) == 0)
        {
            raw.sqlite3_exec(connection, "ROLLBACK");
        }
    }

    /// <summary>Statements built once from the SQLite model (names, converters), so rows land as EF Core writes them.</summary>
    private sealed class Plan
    {
        private readonly SqliteRowWriter<User> _users;
        private readonly SqliteRowWriter<UserEmail> _emails;
        private readonly SqliteRowWriter<UserPhoneNumber> _phones;
        private readonly SqliteRowWriter<AuditEntry> _audit;
        private readonly string _userNameTaken;
        private readonly string _extensionTaken;
        private readonly string _lastHash;

        public Plan(ScimBridgeDbContext db)
        {
            _users = SqliteRowWriter<User>.For(db.Model);
            _emails = SqliteRowWriter<UserEmail>.For(db.Model);
            _phones = SqliteRowWriter<UserPhoneNumber>.For(db.Model);
            _audit = SqliteRowWriter<AuditEntry>.For(db.Model);
            (_userNameTaken, _extensionTaken) = UserUniqueness.Sql(db);
            _lastHash = AuditChain.HeadSql(db);
        }

        /// <summary>The error a taken userName or extension gives this user, checked inside the write transaction.</summary>
        public UniquenessConflictException? Conflict(sqlite3 connection, User user)
        {
            if (Any(connection, _userNameTaken, user.OrganizationId, user.NormalizedUserName))
            {
                return UniquenessConflictException.UserName(user.UserName);
            }

            return user.PhoneExtension is { } extension && Any(connection, _extensionTaken, user.OrganizationId, extension)
                ? UniquenessConflictException.Extension(extension)
                : null;
        }

        /// <summary>The user's rows and its audit entry, chained after the organization's last entry.</summary>
        public void Insert(sqlite3 connection, Pending pending, Dictionary<Guid, string> heads)
        {
            var user = pending.User;
            _users.Insert(connection, user);
            foreach (var email in user.Emails)
            {
                _emails.Insert(connection, email);
            }

            foreach (var phone in user.PhoneNumbers)
            {
                _phones.Insert(connection, phone);
            }

            var entry = pending.Entry;
            if (!heads.TryGetValue(entry.OrganizationId, out var previous))
            {
                previous = LastHash(connection, entry.OrganizationId);
            }

            heads[entry.OrganizationId] = AuditChain.Link(entry, previous);
            _audit.Insert(connection, entry);
        }

        private string LastHash(sqlite3 connection, Guid organizationId)
        {
            var hash = "";
            SqliteStatementCache.Run(connection, _lastHash, [organizationId], s => hash = raw.sqlite3_column_text(s, 0).utf8_to_string());
            return hash;
        }

        private static bool Any(sqlite3 connection, string sql, Guid organizationId, string value)
        {
            var found = false;
            SqliteStatementCache.Run(connection, sql, [organizationId, value], _ => found = true);
            return found;
        }
    }
}
