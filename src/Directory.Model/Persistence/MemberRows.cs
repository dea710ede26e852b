using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using ScimBridge.Model.Groups;

namespace ScimBridge.Model.Persistence;

/// <summary>A member row to write, by ids.</summary>
public readonly record struct MemberRow(Guid GroupId, Guid MemberId, GroupMemberType MemberType, DateTimeOffset AddedAt);

/// <summary>
/// Writes group member rows, which are stored by <see cref="MemberKey"/> numbers: resolves the numbers of every id
/// involved (giving new ones to ids seen for the first time), then inserts and deletes by number. Runs inside the
/// caller's transaction; only the provisioning write path (through <see cref="ScimBridgeDbContext"/>) calls it.
/// </summary>
internal static class MemberRows
{
    /// <summary>Ids looked up per query when only some of the table is wanted.</summary>
    private const int LookupBatch = 1000;

    /// <summary>Rows per PostgreSQL statement (arrays through unnest).</summary>
    private const int PostgresBatch = 10_000;

    /// <summary>
    /// Deletes <paramref name="removes"/>, then inserts <paramref name="adds"/>; an add of a row that exists and a
    /// removal of one that does not are no-ops. Both sequences are read twice.
    /// </summary>
    public static async Task WriteAsync(ScimBridgeDbContext db, IEnumerable<MemberRow> adds, IEnumerable<(Guid GroupId, Guid MemberId)> removes, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Member rows are written inside a transaction.");
        }

        await DeleteAsync(db, removes, ct);
        await InsertAsync(db, adds, ct);
    }

    private static async Task InsertAsync(ScimBridgeDbContext db, IEnumerable<MemberRow> adds, CancellationToken ct)
    {
        // New numbers go to groups first, then to members, each in id order; rows are written in (group, member) number
        // order, so on a first sync they append to the primary key's B-tree instead of landing at random leaves.
        var groups = new HashSet<Guid>();
        var members = new HashSet<Guid>();
        var count = 0;
        foreach (var add in adds)
        {
            groups.Add(add.GroupId);
            members.Add(add.MemberId);
            count++;
        }

        if (count == 0)
        {
            return;
        }

        members.ExceptWith(groups);
        var keys = await ResolveAsync(db, [.. groups.Order(), .. members.Order()], create: true, ct);
        var rows = new KeyedRow[count];
        var i = 0;
        foreach (var add in adds)
        {
            rows[i++] = new KeyedRow(keys[add.GroupId], keys[add.MemberId], add.MemberType, add.AddedAt);
        }

        System.Array.Sort(rows);
        if (db.IsSqlite)
        {
            await using var insert = BulkInsert.For<GroupMember>(db,
                [nameof(GroupMember.GroupKey), nameof(GroupMember.MemberKey), nameof(GroupMember.MemberType), nameof(GroupMember.AddedAt)],
                "ON CONFLICT DO NOTHING");
            foreach (var row in rows)
            {
                await insert.AddAsync(ct, row.GroupKey, row.MemberKey, row.MemberType, row.AddedAt);
            }

            await insert.FlushAsync(ct);
            return;
        }

        var (table, column) = BulkCommand.Names<GroupMember>(db);
        var sql = $"INSERT INTO {table} ({column(nameof(GroupMember.GroupKey))}, {column(nameof(GroupMember.MemberKey))}, " +
                  $"{column(nameof(GroupMember.MemberType))}, {column(nameof(GroupMember.AddedAt))}) " +
                  "SELECT * FROM unnest(@g, @m, @t, @a) ON CONFLICT DO NOTHING";
        foreach (var chunk in rows.Chunk(PostgresBatch))
        {
            await db.Database.ExecuteSqlRawAsync(sql,
                [
                    ArrayOf("g", chunk.Select(r => r.GroupKey), NpgsqlDbType.Bigint),
                    ArrayOf("m", chunk.Select(r => r.MemberKey), NpgsqlDbType.Bigint),
                    ArrayOf("t", chunk.Select(r => (int)r.MemberType), NpgsqlDbType.Integer),
                    ArrayOf("a", chunk.Select(r => r.AddedAt.ToUniversalTime()), NpgsqlDbType.TimestampTz),
                ], ct);
        }
    }

    private static async Task DeleteAsync(ScimBridgeDbContext db, IEnumerable<(Guid GroupId, Guid MemberId)> removes, CancellationToken ct)
    {
        var ids = new HashSet<Guid>();
        foreach (var (groupId, memberId) in removes)
        {
            ids.Add(groupId);
            ids.Add(memberId);
        }

        if (ids.Count == 0)
        {
            return;
        }

        // An id without a number was never in a member row, so there is nothing of it to delete.
        var keys = await ResolveAsync(db, [.. ids], create: false, ct);
        var rows = removes
            .Where(r => keys.ContainsKey(r.GroupId) && keys.ContainsKey(r.MemberId))
            .Select(r => (Group: keys[r.GroupId], Member: keys[r.MemberId]))
            .Order()
            .ToList();
        var (table, column) = BulkCommand.Names<GroupMember>(db);
        if (db.IsSqlite)
        {
            // One row per execution of a prepared statement: a change round's removals run to tens of thousands.
            await using var delete = await BulkCommand.PrepareAsync(db,
                $"DELETE FROM {table} WHERE {column(nameof(GroupMember.GroupKey))} = @p0 AND {column(nameof(GroupMember.MemberKey))} = @p1",
                [BulkCommand.Column<GroupMember>(db, nameof(GroupMember.GroupKey)), BulkCommand.Column<GroupMember>(db, nameof(GroupMember.MemberKey))], ct);
            foreach (var (group, member) in rows)
            {
                await delete.ExecuteAsync(ct, group, member);
            }

            return;
        }

        var sql = $"DELETE FROM {table} m USING unnest(@g, @m) AS d(g, k) " +
                  $"WHERE m.{column(nameof(GroupMember.GroupKey))} = d.g AND m.{column(nameof(GroupMember.MemberKey))} = d.k";
        foreach (var chunk in rows.Chunk(PostgresBatch))
        {
            await db.Database.ExecuteSqlRawAsync(sql,
                [ArrayOf("g", chunk.Select(r => r.Group), NpgsqlDbType.Bigint), ArrayOf("m", chunk.Select(r => r.Member), NpgsqlDbType.Bigint)], ct);
        }
    }

    /// <summary>
    /// The numbers of <paramref name="ids"/> (distinct); with <paramref name="create"/>, ids without one get the next
    /// numbers in the order given. Safe beside concurrent writers: an id another transaction numbered first keeps that number.
    /// </summary>
    public static async Task<Dictionary<Guid, long>> ResolveAsync(ScimBridgeDbContext db, IReadOnlyList<Guid> ids, bool create, CancellationToken ct)
    {
        var keys = new Dictionary<Guid, long>(ids.Count);
        if (ids.Count == 0)
        {
            return keys;
        }

        var last = await db.MemberKeys.MaxAsync(k => (long?)k.Key, ct) ?? 0;
        await FindAsync(db, ids, keys, last, ct);
        if (!create || keys.Count == ids.Count)
        {
            return keys;
        }

        var missing = ids.Where(id => !keys.ContainsKey(id)).ToList();
        var (table, column) = BulkCommand.Names<MemberKey>(db);
        if (db.IsSqlite)
        {
            await using var insert = BulkInsert.For<MemberKey>(db, [nameof(MemberKey.EntityId)], "ON CONFLICT DO NOTHING");
            foreach (var id in missing)
            {
                await insert.AddAsync(ct, id);
            }

            await insert.FlushAsync(ct);
        }
        else
        {
            var sql = $"INSERT INTO {table} ({column(nameof(MemberKey.EntityId))}) SELECT i FROM unnest(@i) WITH ORDINALITY AS n(i, o) ORDER BY o ON CONFLICT DO NOTHING";
            foreach (var chunk in missing.Chunk(PostgresBatch))
            {
                await db.Database.ExecuteSqlRawAsync(sql, [ArrayOf("i", chunk, NpgsqlDbType.Uuid)], ct);
            }
        }

        // The new numbers are all above the last one read; an id a concurrent writer numbered meanwhile is found by id.
        var wanted = missing.ToHashSet();
        await foreach (var row in db.MemberKeys.AsNoTracking().Where(k => k.Key > last).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (wanted.Contains(row.EntityId))
            {
                keys[row.EntityId] = row.Key;
            }
        }

        if (keys.Count < ids.Count)
        {
            await FindAsync(db, [.. missing.Where(id => !keys.ContainsKey(id))], keys, last, ct);
        }

        return keys.Count == ids.Count
            ? keys
            : throw new InvalidOperationException("A member key could not be resolved.");
    }

    /// <summary>Adds the numbers found for <paramref name="ids"/>; reads the whole table when most of it is wanted anyway.</summary>
    private static async Task FindAsync(ScimBridgeDbContext db, IReadOnlyList<Guid> ids, Dictionary<Guid, long> keys, long last, CancellationToken ct)
    {
        if (ids.Count * 4L >= last)
        {
            var wanted = ids.ToHashSet();
            await foreach (var row in db.MemberKeys.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
            {
                if (wanted.Contains(row.EntityId))
                {
                    keys[row.EntityId] = row.Key;
                }
            }

            return;
        }

        foreach (var batch in ids.Chunk(LookupBatch))
        {
            await foreach (var row in db.MemberKeys.AsNoTracking().Where(k => EF.Parameter(batch).Contains(k.EntityId)).AsAsyncEnumerable().WithCancellation(ct))
            {
                keys[row.EntityId] = row.Key;
            }
        }
    }

    private static NpgsqlParameter ArrayOf<T>(string name, IEnumerable<T> values, NpgsqlDbType type) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };

    /// <summary>A row by numbers, ordered as the primary key orders it.</summary>
    private readonly record struct KeyedRow(long GroupKey, long MemberKey, GroupMemberType MemberType, DateTimeOffset AddedAt) : IComparable<KeyedRow>
    {
        public int CompareTo(KeyedRow other) =>
            GroupKey != other.GroupKey ? GroupKey.CompareTo(other.GroupKey) : MemberKey.CompareTo(other.MemberKey);
    }
}
