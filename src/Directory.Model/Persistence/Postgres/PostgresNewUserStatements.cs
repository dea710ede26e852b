using Npgsql;
using NpgsqlTypes;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence.Postgres;

/// <summary>The statements of <see cref="PostgresNewUsers"/>, built once from the PostgreSQL model so rows land as EF Core writes them.</summary>
internal sealed class PostgresNewUserStatements
{
    private readonly PostgresCopy<User> _users;
    private readonly PostgresCopy<UserEmail> _emails;
    private readonly PostgresCopy<UserPhoneNumber> _phones;
    private readonly PostgresCopy<AuditEntry> _audit;
    private readonly string _userNamesTaken;
    private readonly string _extensionsTaken;
    private readonly string _lastHash;

    public PostgresNewUserStatements(ScimBridgeDbContext db)
    {
        _users = PostgresCopy<User>.For(db.Model);
        _emails = PostgresCopy<UserEmail>.For(db.Model);
        _phones = PostgresCopy<UserPhoneNumber>.For(db.Model);
        _audit = PostgresCopy<AuditEntry>.For(db.Model);
        var (users, u) = BulkCommand.Names<User>(db);
        _userNamesTaken = $"SELECT {u(nameof(User.NormalizedUserName))} FROM {users} WHERE {u(nameof(User.OrganizationId))} = $1 AND {u(nameof(User.NormalizedUserName))} = ANY($2)";
        _extensionsTaken = $"SELECT {u(nameof(User.PhoneExtension))} FROM {users} WHERE {u(nameof(User.OrganizationId))} = $1 AND {u(nameof(User.PhoneExtension))} = ANY($2)";
        var (audit, a) = BulkCommand.Names<AuditEntry>(db);
        _lastHash = $"SELECT {a(nameof(AuditEntry.Hash))} FROM {audit} WHERE {a(nameof(AuditEntry.OrganizationId))} = $1 ORDER BY {a(nameof(AuditEntry.Id))} DESC LIMIT 1";
    }

    /// <summary>
    /// Begins the batch's transaction and, in one round trip, takes each organization's audit-chain lock (the one EF
    /// Core's saves take, see <see cref="ScimBridgeDbContext.LockAuditChainAsync"/>), reads which of the batch's
    /// userNames and extensions are taken and the chain's last hash.
    /// </summary>
    public async Task<PostgresNewUserBatch> BeginAsync(NpgsqlConnection connection, IReadOnlyList<User> users, CancellationToken ct)
    {
        // BEGIN goes out with the batch below, not on its own.
        var transaction = await connection.BeginTransactionAsync(ct);
        var batch = new PostgresNewUserBatch(transaction);
        try
        {
            var organizations = users.GroupBy(u => u.OrganizationId).OrderBy(g => g.Key).ToList();
            await using var statements = new NpgsqlBatch(connection, transaction);
            foreach (var organization in organizations)
            {
                Add(statements, "SELECT pg_advisory_xact_lock(hashtext($1))", organization.Key.ToString());
                Add(statements, _userNamesTaken, organization.Key, organization.Select(u => u.NormalizedUserName).ToArray());
                Add(statements, _extensionsTaken, organization.Key, organization.Select(u => u.PhoneExtension).OfType<string>().ToArray());
                Add(statements, _lastHash, organization.Key);
            }

            await using var reader = await statements.ExecuteReaderAsync(ct);
            foreach (var organization in organizations)
            {
                await reader.NextResultAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    batch.TakeUserName(organization.Key, reader.GetString(0));
                }

                await reader.NextResultAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    batch.TakeExtension(organization.Key, reader.GetString(0));
                }

                await reader.NextResultAsync(ct);
                batch.SetHead(organization.Key, await reader.ReadAsync(ct) ? reader.GetString(0) : "");
                await reader.NextResultAsync(ct);
            }

            return batch;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>The users' rows, their e-mails and phone numbers, and the audit entries, each table in one COPY.</summary>
    public async Task InsertAsync(NpgsqlConnection connection, IReadOnlyList<User> users, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        if (users.Count == 0)
        {
            return;
        }

        await _users.WriteAsync(connection, users, ct);
        if (users.Any(u => u.Emails.Count > 0))
        {
            await _emails.WriteAsync(connection, users.SelectMany(u => u.Emails), ct);
        }

        if (users.Any(u => u.PhoneNumbers.Count > 0))
        {
            await _phones.WriteAsync(connection, users.SelectMany(u => u.PhoneNumbers), ct);
        }

        await _audit.WriteAsync(connection, entries, ct);
    }

    /// <summary>A unique violation of one user written alone, as the error its creator sees; anything else as it is.</summary>
    public Exception Translate(Exception error, User user) =>
        error is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique
            ? unique.ConstraintName?.Contains(nameof(User.PhoneExtension), StringComparison.Ordinal) == true && user.PhoneExtension is { } extension
                ? UniquenessConflictException.Extension(extension)
                : unique.ConstraintName?.Contains(nameof(User.NormalizedUserName), StringComparison.Ordinal) == true
                    ? UniquenessConflictException.UserName(user.UserName)
                    : error
            : error;

    private static void Add(NpgsqlBatch batch, string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value is string[] texts
                ? new NpgsqlParameter { Value = texts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
                : new NpgsqlParameter { Value = value });
        }

        batch.BatchCommands.Add(command);
    }
}
