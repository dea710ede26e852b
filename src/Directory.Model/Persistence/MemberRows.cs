using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence.Sqlite;

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
        List<Guid> ordered = [.. groups];
        ordered.Sort();
        var first = ordered.Count;
        ordered.AddRange(members);
        ordered.Sort(first, ordered.Count - first, null);
        var keys = await ResolveAsync(db, ordered, create: true, ct);
        var rows = new KeyedRow[count];
        var order = new long[count];
        var packed = true;
        var i = 0;
        foreach (var add in adds)
        {
            var row = new KeyedRow(keys[add.GroupId], keys[add.MemberId], add.MemberType, add.AddedAt);
            packed &= row.GroupKey <= int.MaxValue && row.MemberKey <= int.MaxValue;
            order[i] = (row.GroupKey << 32) | row.MemberKey;
            rows[i++] = row;
        }

        // Numbers below 2^31 pack into one long per row, which sorts several times faster than the rows by comparer.
        if (packed)
        {
            System.Array.Sort(order, rows);
        }
        else
        {
            System.Array.Sort(rows);
        }
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
            .ToList();
        rows.Sort();
        var (table, column) = BulkCommand.Names<GroupMember>(db);
        if (db.Database.GetDbConnection() is SqliteConnection sqlite)
        {
            // One statement per group, its members in one JSON parameter: a change round removes tens of thousands of rows,
            // and a statement execution per row cost about as much again as SQLite's work on the row.
            using var delete = SqlitePositionalStatement.Prepare(sqlite,
                $"DELETE FROM {table} WHERE {column(nameof(GroupMember.GroupKey))} = @p0 AND {column(nameof(GroupMember.MemberKey))} IN " +
                "(SELECT value FROM json_each(@p1))");
            var members = new StringBuilder();
            for (var start = 0; start < rows.Count;)
            {
                ct.ThrowIfCancellationRequested();
                var group = rows[start].Group;
                members.Clear().Append('[');
                var end = start;
                for (; end < rows.Count && rows[end].Group == group; end++)
                {
                    members.Append(CultureInfo.InvariantCulture, $"{rows[end].Member},");
                }

                members[^1] = ']';
                delete.Execute([group, members.ToString()]);
                start = end;
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
    /// numbers in the order given. Safe beside concurrent writers: an id another transaction numbered first keeps that
    /// number. Numbers the context has seen are remembered (see <see cref="MemberKeyCache"/>).
    /// </summary>
    public static async Task<Dictionary<Guid, long>> ResolveAsync(ScimBridgeDbContext db, IReadOnlyList<Guid> ids, bool create, CancellationToken ct)
    {
        var cache = db.MemberKeyCache;
        await cache.ValidateAsync(db, ct);
        var keys = new Dictionary<Guid, long>(ids.Count);
        var unknown = Take(cache, ids, keys);
        if (unknown.Count == 0)
        {
            return keys;
        }

        await FindAsync(db, cache, unknown, ct);
        var missing = Take(cache, unknown, keys);
        if (missing.Count > 0 && !db.IsSqlite && cache.CompleteThrough is not null)
        {
            // PostgreSQL: a concurrent writer may commit a number below the highest one read after it was read.
            await LookUpAsync(db, cache, missing, ct);
            missing = Take(cache, missing, keys);
        }

        if (!create || missing.Count == 0)
        {
            return keys;
        }

        var last = await LastKeyAsync(db, ct);
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
        await ReadAfterAsync(db, cache, last, ct);
        var given = Take(cache, missing, keys);
        NoteGiven(db, cache, missing, keys);
        if (given.Count > 0)
        {
            await LookUpAsync(db, cache, given, ct);
            given = Take(cache, given, keys);
        }

        return given.Count == 0
            ? keys
            : throw new InvalidOperationException("A member key could not be resolved.");
    }

    /// <summary>Tells the cache the highest of the numbers just given, by which it later sees whether they were committed.</summary>
    private static void NoteGiven(ScimBridgeDbContext db, MemberKeyCache cache, List<Guid> ids, Dictionary<Guid, long> keys)
    {
        var (newest, newestKey) = (Guid.Empty, 0L);
        foreach (var id in ids)
        {
            if (keys.TryGetValue(id, out var key) && key > newestKey)
            {
                (newest, newestKey) = (id, key);
            }
        }

        if (newestKey > 0)
        {
            cache.Given(db, newestKey, newest);
        }
    }

    /// <summary>Moves the numbers the cache knows of <paramref name="ids"/> into <paramref name="keys"/>; returns the other ids.</summary>
    private static List<Guid> Take(MemberKeyCache cache, IReadOnlyList<Guid> ids, Dictionary<Guid, long> keys)
    {
        var rest = new List<Guid>();
        foreach (var id in ids)
        {
            if (cache.Keys.TryGetValue(id, out var key))
            {
                keys[id] = key;
            }
            else
            {
                rest.Add(id);
            }
        }

        return rest;
    }

    /// <summary>
    /// Brings the numbers of <paramref name="ids"/> that exist into the cache: when it holds the whole table already,
    /// by reading the rows added since; when most of the table is wanted, by reading all of it once; otherwise by id.
    /// </summary>
    private static async Task FindAsync(ScimBridgeDbContext db, MemberKeyCache cache, List<Guid> ids, CancellationToken ct)
    {
        if (!await ReadTableAsync(db, cache, ids.Count, ct))
        {
            await LookUpAsync(db, cache, ids, ct);
        }
    }

    /// <summary>
    /// Brings the cache up to date through the table itself when that is the cheaper way to learn <paramref name="wanted"/>
    /// numbers: only the rows added since when it holds the whole table already, all rows when a large share of the table
    /// is wanted. False when neither holds and the numbers are to be looked up one batch at a time.
    /// </summary>
    private static async Task<bool> ReadTableAsync(ScimBridgeDbContext db, MemberKeyCache cache, int wanted, CancellationToken ct)
    {
        if (cache.CompleteThrough is { } through)
        {
            await ReadAfterAsync(db, cache, through, ct);
            return true;
        }

        var last = await LastKeyAsync(db, ct);
        if (wanted * 4L >= last)
        {
            cache.EnsureCapacity((int)last);
            cache.CompleteThrough = 0;
            await ReadAfterAsync(db, cache, 0, ct);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Brings the context's cache up to date when it holds the whole table, or reads the whole table into it when
    /// <paramref name="expected"/> numbers are about to be wanted and that is much of it (see <see cref="ReadTableAsync"/>).
    /// </summary>
    public static async Task ReadNumbersAsync(ScimBridgeDbContext db, int expected, CancellationToken ct)
    {
        var cache = db.MemberKeyCache;
        await cache.ValidateAsync(db, ct);
        await ReadTableAsync(db, cache, expected, ct);
    }

    /// <summary>Reads every number above <paramref name="after"/> into the cache; a complete cache stays complete.</summary>
    private static async Task ReadAfterAsync(ScimBridgeDbContext db, MemberKeyCache cache, long after, CancellationToken ct)
    {
        var max = after;
        var (table, column) = BulkCommand.Names<MemberKey>(db);
        var sql = $"SELECT {column(nameof(MemberKey.Key))}, {column(nameof(MemberKey.EntityId))} FROM {table} WHERE {column(nameof(MemberKey.Key))} > {DbRows.List([after])}";
        await DbRows.ReadAsync(db, sql, [], reader =>
        {
            var key = reader.GetInt64(0);
            cache.Add(reader.GetGuid(1), key);
            max = Math.Max(max, key);
        }, ct);

        if (cache.CompleteThrough == after)
        {
            cache.CompleteThrough = max;
        }
    }

    /// <summary>The highest number given, 0 when none.</summary>
    private static async Task<long> LastKeyAsync(ScimBridgeDbContext db, CancellationToken ct)
    {
        var (table, column) = BulkCommand.Names<MemberKey>(db);
        long last = 0;
        await DbRows.ReadAsync(db, $"SELECT MAX({column(nameof(MemberKey.Key))}) FROM {table}", [], reader => last = reader.IsDBNull(0) ? 0 : reader.GetInt64(0), ct);
        return last;
    }

    private static async Task LookUpAsync(ScimBridgeDbContext db, MemberKeyCache cache, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var (table, column) = BulkCommand.Names<MemberKey>(db);
        var entityId = BulkCommand.Column<MemberKey>(db, nameof(MemberKey.EntityId));
        foreach (var batch in ids.Chunk(LookupBatch))
        {
            var sql = $"SELECT {column(nameof(MemberKey.Key))}, {column(nameof(MemberKey.EntityId))} FROM {table} " +
                      $"WHERE {column(nameof(MemberKey.EntityId))} IN ({string.Join(",", batch.Select((_, i) => $"@p{i}"))})";
            await DbRows.ReadAsync(db, sql, [.. batch.Select(id => new DbValue(entityId, id))], reader => cache.Add(reader.GetGuid(1), reader.GetInt64(0)), ct);
        }
    }

    /// <summary>
    /// The member rows of <paramref name="groupIds"/>, by ids: the rows are read as numbers (a range of the primary key per
    /// group), and each number is turned into its id once, not once per row.
    /// </summary>
    public static async Task<List<(Guid GroupId, Guid MemberId, GroupMemberType MemberType)>> ReadOfGroupsAsync(
        ScimBridgeDbContext db, IEnumerable<Guid> groupIds, CancellationToken ct) =>
        await ReadAsync(db, [.. groupIds.Distinct()], [], [], ct);

    /// <inheritdoc cref="ReadAsync{T}"/>
    public static Task<List<(Guid GroupId, Guid MemberId, GroupMemberType MemberType)>> ReadAsync(
        ScimBridgeDbContext db, IReadOnlyCollection<Guid> wholeGroupIds, IReadOnlyCollection<Guid> userIds,
        IReadOnlyCollection<Guid> memberGroupIds, CancellationToken ct) =>
        ReadAsync(db, wholeGroupIds, userIds, memberGroupIds, (group, member, type) => (group, member, type), ct);

    /// <summary>
    /// Every member row of the groups <paramref name="wholeGroupIds"/>, and the rows of the users <paramref name="userIds"/>
    /// in the other groups of <paramref name="memberGroupIds"/>: each row once, as <paramref name="row"/> makes it. The rows
    /// are read as numbers (by the primary key for groups, by the member number's index for users) and every number is
    /// turned into its id once, through the context's <see cref="MemberKeyCache"/>.
    /// </summary>
    public static async Task<List<T>> ReadAsync<T>(
        ScimBridgeDbContext db, IReadOnlyCollection<Guid> wholeGroupIds, IReadOnlyCollection<Guid> userIds,
        IReadOnlyCollection<Guid> memberGroupIds, Func<Guid, Guid, GroupMemberType, T> row, CancellationToken ct)
    {
        var groupKeys = await ResolveAsync(db, [.. wholeGroupIds.Concat(memberGroupIds).Distinct()], create: false, ct);
        var whole = KeysOf(wholeGroupIds, groupKeys);
        var rows = new List<NumberRow>();
        await ReadRowsAsync(db, whole, rows, ct);

        // The whole groups' members first: when they are much of the table, the table is read whole and the users'
        // numbers are then known without a query.
        await LearnIdsAsync(db, rows, 0, ct);
        var within = KeysOf(memberGroupIds, groupKeys);
        within.ExceptWith(whole);
        if (within.Count > 0 && userIds.Count > 0)
        {
            var first = rows.Count;
            var userKeys = await ResolveAsync(db, [.. userIds.Distinct()], create: false, ct);
            await ReadUserRowsAsync(db, userKeys.Values, within, rows, ct);
            await LearnIdsAsync(db, rows, first, ct);
        }

        var cache = db.MemberKeyCache;
        var result = new List<T>(rows.Count);
        foreach (var (group, member, type) in rows)
        {
            result.Add(row(IdOf(cache, group), IdOf(cache, member), type));
        }
        return result;
    }

    private static Guid IdOf(MemberKeyCache cache, long key) =>
        cache.TryGetId(key, out var id) ? id : throw new InvalidOperationException($"Member number {key} has no id.");

    /// <summary>Every member row of the groups numbered <paramref name="groupKeys"/>.</summary>
    private static async Task ReadRowsAsync(ScimBridgeDbContext db, IEnumerable<long> groupKeys, List<NumberRow> rows, CancellationToken ct)
    {
        var (table, c) = BulkCommand.Names<GroupMember>(db);
        foreach (var batch in groupKeys.Order().Chunk(LookupBatch))
        {
            var sql = $"SELECT {c(nameof(GroupMember.GroupKey))}, {c(nameof(GroupMember.MemberKey))}, {c(nameof(GroupMember.MemberType))} " +
                      $"FROM {table} WHERE {c(nameof(GroupMember.GroupKey))} IN ({DbRows.List(batch)})";
            await DbRows.ReadAsync(db, sql, [], reader => rows.Add(new(reader.GetInt64(0), reader.GetInt64(1), (GroupMemberType)reader.GetInt32(2))), ct);
        }
    }

    /// <summary>
    /// The member rows of the users numbered <paramref name="userKeys"/> in the groups numbered <paramref name="groupKeys"/>.
    /// The member number's index holds both numbers but not the type, which is known (a user); reading it would cost a
    /// lookup of the row for every membership.
    /// </summary>
    private static async Task ReadUserRowsAsync(
        ScimBridgeDbContext db, IEnumerable<long> userKeys, HashSet<long> groupKeys, List<NumberRow> rows, CancellationToken ct)
    {
        var (table, c) = BulkCommand.Names<GroupMember>(db);
        foreach (var batch in userKeys.Order().Chunk(LookupBatch))
        {
            var sql = $"SELECT {c(nameof(GroupMember.GroupKey))}, {c(nameof(GroupMember.MemberKey))} " +
                      $"FROM {table} WHERE {c(nameof(GroupMember.MemberKey))} IN ({DbRows.List(batch)})";
            await DbRows.ReadAsync(db, sql, [], reader =>
            {
                var group = reader.GetInt64(0);
                if (groupKeys.Contains(group))
                {
                    rows.Add(new(group, reader.GetInt64(1), GroupMemberType.User));
                }
            }, ct);
        }
    }

    private static HashSet<long> KeysOf(IEnumerable<Guid> ids, Dictionary<Guid, long> keys)
    {
        var found = new HashSet<long>();
        foreach (var id in ids)
        {
            if (keys.TryGetValue(id, out var key))
            {
                found.Add(key);
            }
        }

        return found;
    }

    /// <summary>
    /// Brings the ids of the numbers in <paramref name="rows"/> from <paramref name="from"/> on into the cache. A large share
    /// of the table is read whole once (and the cache then knows it all, for later writes too); a few numbers are looked up.
    /// </summary>
    private static async Task LearnIdsAsync(ScimBridgeDbContext db, List<NumberRow> rows, int from, CancellationToken ct)
    {
        var cache = db.MemberKeyCache;
        await cache.ValidateAsync(db, ct);
        var unknown = new HashSet<long>();
        for (var i = from; i < rows.Count; i++)
        {
            var (group, member, _) = rows[i];
            if (!cache.TryGetId(group, out _))
            {
                unknown.Add(group);
            }
            if (!cache.TryGetId(member, out _))
            {
                unknown.Add(member);
            }
        }
        if (unknown.Count == 0)
        {
            return;
        }

        await ReadTableAsync(db, cache, unknown.Count, ct);

        // PostgreSQL: a concurrent writer may have committed a number below the highest one the cache had read.
        unknown.RemoveWhere(key => cache.TryGetId(key, out _));
        var (table, column) = BulkCommand.Names<MemberKey>(db);
        foreach (var batch in unknown.Order().Chunk(LookupBatch))
        {
            var sql = $"SELECT {column(nameof(MemberKey.Key))}, {column(nameof(MemberKey.EntityId))} FROM {table} WHERE {column(nameof(MemberKey.Key))} IN ({DbRows.List(batch)})";
            await DbRows.ReadAsync(db, sql, [], reader => cache.Add(reader.GetGuid(1), reader.GetInt64(0)), ct);
        }
    }

    /// <summary>A member row by numbers, as read.</summary>
    private readonly record struct NumberRow(long Group, long Member, GroupMemberType Type);

    private static NpgsqlParameter ArrayOf<T>(string name, IEnumerable<T> values, NpgsqlDbType type) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };

    /// <summary>A row by numbers, ordered as the primary key orders it.</summary>
    private readonly record struct KeyedRow(long GroupKey, long MemberKey, GroupMemberType MemberType, DateTimeOffset AddedAt) : IComparable<KeyedRow>
    {
        public int CompareTo(KeyedRow other) =>
            GroupKey != other.GroupKey ? GroupKey.CompareTo(other.GroupKey) : MemberKey.CompareTo(other.MemberKey);
    }
}
