using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence;

/// <summary>One activation change for many users: which way, by whom, when, and which users it applies to.</summary>
internal sealed record ActivationWrite(Guid OrganizationId, bool Deactivate, string? OnlyDeactivatedBy, string? DeactivatedBy, DateTimeOffset Now)
{
    /// <summary>Whether the change applies to <paramref name="user"/> as it is now (deactivating an active one, or reactivating one deactivated by the right source).</summary>
    public bool AppliesTo(User user) =>
        user.OrganizationId == OrganizationId && (Deactivate
            ? user.Status != UserStatus.Deactivated
            : user.Status == UserStatus.Deactivated && (OnlyDeactivatedBy is null || user.DeactivatedBy == OnlyDeactivatedBy));
}

/// <summary>
/// Deactivates or reactivates many users by id inside the current transaction, with plain statements rather than EF
/// Core's set-based update (in a fresh process, compiling that update's query for a sync run's change round cost more
/// than the rows it changed).
/// Columns and values are those of <see cref="User.Deactivate"/> and <see cref="User.Reactivate"/>, plus the version
/// and update time every change takes.
/// </summary>
internal static class UserActivationRows
{
    /// <summary>
    /// Changes the users of <paramref name="ids"/> the change applies to and hands each to <paramref name="changed"/> as
    /// it was before. SQLite reads and updates one user at a time through prepared statements, in the order of the key
    /// index (so each index page is read once, not once per user), and the update finds the pages the read just brought
    /// in; PostgreSQL reads all in one batch and updates them in one statement.
    /// </summary>
    public static async Task WriteAsync(ScimBridgeDbContext db, IReadOnlyList<Guid> ids, ActivationWrite write, Action<User> changed, CancellationToken ct)
    {
        InTransaction(db);
        if (ids.Count == 0)
        {
            return;
        }

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (db.Database.GetDbConnection() is SqliteConnection sqlite)
            {
                var (sql, columns) = Update(db, write.Deactivate, "= @p{1}");
                await using var update = await BulkCommand.PrepareAsync(db, sql, [.. columns.Select(c => BulkCommand.Column<User>(db, c))], ct);
                foreach (var user in UserRowsById.EachSqlite(db, sqlite, InKeyOrder(ids)))
                {
                    if (write.AppliesTo(user))
                    {
                        await update.ExecuteAsync(ct, Values(write, user.Id));
                        changed(user);
                    }
                }

                return;
            }

            var users = (await UserRowsById.ReadAsync(db, ids, ct)).Where(write.AppliesTo).ToList();
            if (users.Count > 0)
            {
                var (sql, columns) = Update(db, write.Deactivate, "= ANY(@p{1})");
                var values = Values(write, users.Select(u => u.Id).ToArray());
                await db.Database.ExecuteSqlRawAsync(sql, [.. values.Select((v, i) => Parameter(db, columns[i], i, v))], ct);
            }

            users.ForEach(changed);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The ids in the order of their stored text (SQLite keeps GUIDs as upper-case text; lower-case hex sorts the same).
    /// </summary>
    private static List<Guid> InKeyOrder(IReadOnlyList<Guid> ids)
    {
        var keyed = new (string Key, Guid Id)[ids.Count];
        for (var i = 0; i < keyed.Length; i++)
        {
            keyed[i] = (ids[i].ToString(), ids[i]);
        }

        Array.Sort(keyed, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var ordered = new List<Guid>(keyed.Length);
        foreach (var (_, id) in keyed)
        {
            ordered.Add(id);
        }

        return ordered;
    }

    private static void InTransaction(ScimBridgeDbContext db)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Activation changes are written inside a transaction.");
        }
    }

    /// <summary>The statement and the properties its parameters bind, in order; ids are matched by <paramref name="match"/> (<c>{0}</c>: the parameter's number).</summary>
    private static (string Sql, string[] Columns) Update(ScimBridgeDbContext db, bool deactivate, string match)
    {
        var (table, c) = BulkCommand.Names<User>(db);
        var (status, before) = (c(nameof(User.Status)), c(nameof(User.StatusBeforeDeactivation)));
        var (at, by) = (c(nameof(User.DeactivatedAt)), c(nameof(User.DeactivatedBy)));
        var touch = $"{c(nameof(User.UpdatedAt))} = @p{{0}}, {c(nameof(User.Version))} = {c(nameof(User.Version))} + 1 WHERE {c(nameof(User.Id))} {match}";
        return deactivate
            ? ($"UPDATE {table} SET {before} = {status}, {status} = @p0, {at} = @p1, {by} = @p2, " + string.Format(touch, 3, 4),
                [nameof(User.Status), nameof(User.DeactivatedAt), nameof(User.DeactivatedBy), nameof(User.UpdatedAt), nameof(User.Id)])
            : ($"UPDATE {table} SET {status} = CASE WHEN {before} = @p0 THEN @p1 ELSE {before} END, {at} = NULL, {by} = NULL, " + string.Format(touch, 2, 3),
                [nameof(User.StatusBeforeDeactivation), nameof(User.Status), nameof(User.UpdatedAt), nameof(User.Id)]);
    }

    /// <summary>The values of <see cref="Update"/>'s parameters; <paramref name="ids"/> is one id (SQLite) or all of them (PostgreSQL).</summary>
    private static object?[] Values(ActivationWrite write, object ids) => write.Deactivate
        ? [UserStatus.Deactivated, write.Now, write.DeactivatedBy, write.Now, ids]
        : [UserStatus.Deactivated, UserStatus.Prepared, write.Now, ids];

    /// <summary>A PostgreSQL parameter as EF Core binds <paramref name="property"/> (the mapping converts the value); the ids go as one uuid array.</summary>
    private static NpgsqlParameter Parameter(ScimBridgeDbContext db, string property, int index, object? value)
    {
        if (value is Guid[] ids)
        {
            return new NpgsqlParameter($"p{index}", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids };
        }

        var mapping = (Microsoft.EntityFrameworkCore.Storage.RelationalTypeMapping)BulkCommand.Column<User>(db, property).GetRelationalTypeMapping();
        using var command = db.Database.GetDbConnection().CreateCommand();
        return (NpgsqlParameter)mapping.CreateParameter(command, $"p{index}", value, nullable: true);
    }
}
