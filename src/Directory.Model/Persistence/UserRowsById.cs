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
/// read. Here one statement per table reads all the ids' rows by index: on SQLite the ids as a JSON array (prepared
/// statements stepped in-process), on PostgreSQL one batch of <c>= ANY</c> statements. Same values as EF Core, by the
/// model's converters.
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
                ? ReadSqlite(db, sqlite, ids)
                : await ReadPostgresAsync(db, (NpgsqlConnection)db.Database.GetDbConnection(), PlanOf(db), ids, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// SQLite, on <paramref name="connection"/> (open, EF Core's): the users of <paramref name="ids"/> that exist, in the
    /// order of <paramref name="ids"/>, each once. One statement per table, the ids in one JSON array: SQLite sorts them
    /// and walks each index in key order, so a sync run's thousands of users cost a page read per index page, not per
    /// user (a statement per user read each index page again after 2 MB of cache had moved on).
    /// </summary>
    private static List<User> ReadSqlite(ScimBridgeDbContext db, SqliteConnection connection, IReadOnlyList<Guid> ids)
    {
        var plan = PlanOf(db);
        var key = new object?[] { SqliteIdList(ids) };
        var users = new Dictionary<Guid, User>(ids.Count);
        using (var statement = SqlitePositionalStatement.Prepare(connection, plan.UserSql))
        {
            statement.Query(key, s =>
            {
                var user = plan.Sqlite.Users.Read(s);
                users[user.Id] = user;
            });
        }

        using (var statement = SqlitePositionalStatement.Prepare(connection, plan.EmailsSql))
        {
            statement.Query(key, s =>
            {
                var email = plan.Sqlite.Emails.Read(s);
                users[email.UserId].Emails.Add(email);
            });
        }

        using (var statement = SqlitePositionalStatement.Prepare(connection, plan.PhonesSql))
        {
            statement.Query(key, s =>
            {
                var phone = plan.Sqlite.Phones.Read(s);
                users[phone.UserId].PhoneNumbers.Add(phone);
            });
        }

        return InOrder(ids, users);
    }

    /// <summary>Ids as one JSON array of their stored text (upper-case, as Microsoft.Data.Sqlite stores a GUID), for <c>json_each</c>.</summary>
    public static string SqliteIdList(IEnumerable<Guid> ids)
    {
        var text = new System.Text.StringBuilder("[");
        Span<char> id = stackalloc char[36];
        foreach (var each in ids)
        {
            each.TryFormat(id, out _, "D");
            text.Append('"');
            foreach (var c in id)
            {
                text.Append(char.ToUpperInvariant(c));
            }

            text.Append("\",");
        }

        text[^1] = ']';
        return text.Length == 1 ? "[]" : text.ToString();
    }

    /// <summary>The users found, in the order of <paramref name="ids"/>, each once.</summary>
    private static List<User> InOrder(IReadOnlyList<Guid> ids, Dictionary<Guid, User> users)
    {
        var ordered = new List<User>(users.Count);
        foreach (var id in ids)
        {
            if (users.Remove(id, out var user))
            {
                ordered.Add(user);
            }
        }

        return ordered;
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

        return InOrder(ids, users);
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

            // All ids at once: SQLite a JSON array (@p0), PostgreSQL an array ($1). Each user's rows in id order, as EF Core
            // loads them; on SQLite that is the user id index's own order, so no sort.
            string Match(string column) => db.IsSqlite ? $"{column} IN (SELECT value FROM json_each(@p0))" : $"{column} = ANY($1)";
            UserSql = $"SELECT {select} FROM {users} WHERE {Match(u(nameof(User.Id)))}";
            EmailsSql = $"SELECT {emailList} FROM {emails} WHERE {Match(e(nameof(UserEmail.UserId)))} " +
                        $"ORDER BY {e(nameof(UserEmail.UserId))}, {e(nameof(UserEmail.Id))}";
            PhonesSql = $"SELECT {phoneList} FROM {phones} WHERE {Match(p(nameof(UserPhoneNumber.UserId)))} " +
                        $"ORDER BY {p(nameof(UserPhoneNumber.UserId))}, {p(nameof(UserPhoneNumber.Id))}";
        }

        public string UserSql { get; }
        public string EmailsSql { get; }
        public string PhonesSql { get; }
        public (SqliteRowReader<User> Users, SqliteRowReader<UserEmail> Emails, SqliteRowReader<UserPhoneNumber> Phones) Sqlite { get; }
        public (PostgresRowReader<User> Users, PostgresRowReader<UserEmail> Emails, PostgresRowReader<UserPhoneNumber> Phones) Postgres { get; }
    }
}
