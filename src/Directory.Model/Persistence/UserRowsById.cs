using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using ScimBridge.Model.Persistence.Postgres;
using ScimBridge.Model.Persistence.Sqlite;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// Many users by id, untracked, with their e-mails and phone numbers (in id order, as EF Core loads them), read on EF
/// Core's connection inside its transaction. For the bulk writers that need the rows as they are before a set-based
/// change (a sync run deactivates thousands): EF Core's split query compiled for each new shape of filter, materialized
/// tracked-style entities, and on SQLite joined the collections through the users table, thousands of rows per user
/// read. Here each user and each collection is an index seek: per id on SQLite (a prepared statement stepped
/// in-process), one batch of <c>= ANY</c> statements on PostgreSQL. Same values as EF Core, by the model's converters.
/// </summary>
internal static class UserRowsById
{
    private static readonly ConcurrentDictionary<IModel, Plan> Plans = new();

    public static async Task<List<User>> ReadAsync(ScimBridgeDbContext db, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return db.Database.GetDbConnection() is SqliteConnection sqlite
                ? [.. EachSqlite(db, sqlite, ids)]
                : await ReadPostgresAsync(db, (NpgsqlConnection)db.Database.GetDbConnection(), PlanOf(db), ids, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// SQLite, on <paramref name="connection"/> (open, EF Core's): each user of <paramref name="ids"/> that exists, read
    /// when the caller asks for the next one, so a caller that writes the user next finds its pages still in the cache.
    /// </summary>
    public static IEnumerable<User> EachSqlite(ScimBridgeDbContext db, SqliteConnection connection, IReadOnlyList<Guid> ids)
    {
        var plan = PlanOf(db);
        using var user = SqlitePositionalStatement.Prepare(connection, plan.UserSql);
        using var emails = SqlitePositionalStatement.Prepare(connection, plan.EmailsSql);
        using var phones = SqlitePositionalStatement.Prepare(connection, plan.PhonesSql);
        var key = new object?[1];
        foreach (var id in ids)
        {
            key[0] = id;
            User? found = null;
            user.Query(key, s => found = plan.Sqlite.Users.Read(s));
            if (found is null)
            {
                continue;
            }

            emails.Query(key, s => found.Emails.Add(plan.Sqlite.Emails.Read(s)));
            phones.Query(key, s => found.PhoneNumbers.Add(plan.Sqlite.Phones.Read(s)));
            yield return found;
        }
    }

    private static Plan PlanOf(ScimBridgeDbContext db) => Plans.GetOrAdd(db.Model, _ => new Plan(db));

    private static async Task<List<User>> ReadPostgresAsync(
        ScimBridgeDbContext db, NpgsqlConnection connection, Plan plan, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(),
        };
        foreach (var sql in (string[])[plan.UserSql, plan.EmailsSql, plan.PhonesSql])
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid, Value = ids.ToArray() });
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var users = new Dictionary<Guid, User>(ids.Count);
        while (await reader.ReadAsync(ct))
        {
            var user = plan.Postgres.Users.Read(reader);
            users[user.Id] = user;
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var email = plan.Postgres.Emails.Read(reader);
            users[email.UserId].Emails.Add(email);
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var phone = plan.Postgres.Phones.Read(reader);
            users[phone.UserId].PhoneNumbers.Add(phone);
        }

        return [.. ids.Distinct().Where(users.ContainsKey).Select(id => users[id])];
    }

    /// <summary>The statements and row readers of one model (SQLite and PostgreSQL contexts have their own).</summary>
    private sealed class Plan
    {
        public Plan(ScimBridgeDbContext db)
        {
            var (users, u) = BulkCommand.Names<User>(db);
            var (emails, e) = BulkCommand.Names<UserEmail>(db);
            var (phones, p) = BulkCommand.Names<UserPhoneNumber>(db);
            string select;
            string emailList;
            string phoneList;
            if (db.IsSqlite)
            {
                Sqlite = (SqliteRowReader<User>.For(db.Model), SqliteRowReader<UserEmail>.For(db.Model), SqliteRowReader<UserPhoneNumber>.For(db.Model));
                (select, emailList, phoneList) = (Sqlite.Users.SelectList, Sqlite.Emails.SelectList, Sqlite.Phones.SelectList);
            }
            else
            {
                Postgres = (PostgresRowReader<User>.For(db.Model), PostgresRowReader<UserEmail>.For(db.Model), PostgresRowReader<UserPhoneNumber>.For(db.Model));
                (select, emailList, phoneList) = (Postgres.Users.SelectList, Postgres.Emails.SelectList, Postgres.Phones.SelectList);
            }

            // SQLite: one id (@p0) per execution; PostgreSQL: all of them ($1, an array).
            string Match(string column) => db.IsSqlite ? $"{column} = @p0" : $"{column} = ANY($1)";
            UserSql = $"SELECT {select} FROM {users} WHERE {Match(u(nameof(User.Id)))}";
            EmailsSql = $"SELECT {emailList} FROM {emails} WHERE {Match(e(nameof(UserEmail.UserId)))} ORDER BY {e(nameof(UserEmail.Id))}";
            PhonesSql = $"SELECT {phoneList} FROM {phones} WHERE {Match(p(nameof(UserPhoneNumber.UserId)))} ORDER BY {p(nameof(UserPhoneNumber.Id))}";
        }

        public string UserSql { get; }
        public string EmailsSql { get; }
        public string PhonesSql { get; }
        public (SqliteRowReader<User> Users, SqliteRowReader<UserEmail> Emails, SqliteRowReader<UserPhoneNumber> Phones) Sqlite { get; }
        public (PostgresRowReader<User> Users, PostgresRowReader<UserEmail> Emails, PostgresRowReader<UserPhoneNumber> Phones) Postgres { get; }
    }
}
