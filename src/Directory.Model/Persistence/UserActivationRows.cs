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
/// than the rows it changed). The users are read in one batch (see <see cref="UserRowsById"/>) and updated in one
/// statement, on SQLite with the ids as a JSON array, which it sorts and walks in index order.
/// Columns and values are those of <see cref="User.Deactivate"/> and <see cref="User.Reactivate"/>, plus the version
/// and update time every change takes.
/// </summary>
internal static class UserActivationRows
{
    /// <summary>
    /// The users of <paramref name="ids"/> the change applies to, as they are before it, in the order of
    /// <paramref name="ids"/>; <see cref="UpdateAsync"/> then changes them.
    /// </summary>
    public static async Task<List<User>> ReadAsync(ScimBridgeDbContext db, IReadOnlyList<Guid> ids, ActivationWrite write, CancellationToken ct)
    {
        InTransaction(db);
        var applies = new List<User>(ids.Count);
        foreach (var user in await UserRowsById.ReadAsync(db, ids, ct))
        {
            if (write.AppliesTo(user))
            {
                applies.Add(user);
            }
        }

        return applies;
    }

    /// <summary>Changes <paramref name="users"/> (read by <see cref="ReadAsync"/> in the same transaction) in one statement.</summary>
    public static async Task UpdateAsync(ScimBridgeDbContext db, IReadOnlyList<User> users, ActivationWrite write, CancellationToken ct)
    {
        InTransaction(db);
        if (users.Count == 0)
        {
            return;
        }

        var ids = users.Select(u => u.Id);
        if (!db.IsSqlite)
        {
            var (sql, columns) = Update(db, write.Deactivate, "= ANY(@p{1})");
            var values = Values(write, ids.ToArray());
            await db.Database.ExecuteSqlRawAsync(sql, [.. values.Select((v, i) => Parameter(db, columns[i], i, v))], ct);
            return;
        }

        // SQLite takes the ids as one JSON array, which it sorts and walks in index order. GUIDs are stored as text with
        // no converter, so the array binds as it is.
        var (sqliteSql, sqliteColumns) = Update(db, write.Deactivate, "IN (SELECT value FROM json_each(@p{1}))");
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var update = await BulkCommand.PrepareAsync(db, sqliteSql, [.. sqliteColumns.Select(c => BulkCommand.Column<User>(db, c))], ct);
            await update.ExecuteAsync(ct, Values(write, UserRowsById.SqliteIdList(ids)));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
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

    /// <summary>The values of <see cref="Update"/>'s parameters; <paramref name="ids"/> is a JSON array (SQLite) or an array (PostgreSQL).</summary>
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
