using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Reconcile;

/// <summary>
/// Reads a source's <see cref="ReconcileState"/> without tracking, in a handful of set-based queries. Stored profiles
/// are loaded only for users whose stored fingerprint differs from the incoming one, so an unchanged re-sync reads
/// a few columns per user.
/// </summary>
public static class ReconcileStateLoader
{
    private const int ProfileBatch = 1000;

    /// <summary>
    /// An incremental read needs the stored members of the groups it names and the memberships of the users that left,
    /// nothing else: a dense directory's million other member rows stay unread.
    /// </summary>
    private static async Task<List<ManagedMember>> MembersForDeltaAsync(
        ScimBridgeDbContext db, DirectorySnapshot snapshot, List<ManagedGroup> groups, UserLookup users, PreloadedMembers? preloaded,
        CancellationToken ct)
    {
        var named = snapshot.Groups.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var groupIds = groups.Where(g => named.Contains(g.SourceKey)).Select(g => g.Id).ToList();
        List<Guid> departed = [.. users.Departed.Select(d => d.User.Id)];
        if (preloaded is not null && groupIds.All(preloaded.GroupIds.Contains))
        {
            // The named groups' rows were read while the source was read: only the departed users' rows in the other
            // groups are left to read.
            if (departed.Count == 0)
            {
                return preloaded.Rows;
            }
            var rest = await ReadMembersAsync(db, [], departed, [.. groups.Select(g => g.Id).Where(id => !preloaded.GroupIds.Contains(id))], ct);
            var all = new List<ManagedMember>(preloaded.Rows.Count + rest.Count);
            all.AddRange(preloaded.Rows);
            all.AddRange(rest);
            return all;
        }
        if (groupIds.Count == 0 && departed.Count == 0)
        {
            return [];
        }
        return await ReadMembersAsync(db, groupIds, departed, [.. groups.Select(g => g.Id)], ct);
    }

    /// <summary>
    /// Reads the stored members of the source's groups with these source keys into <paramref name="stored"/>, for
    /// <see cref="LoadAsync(ScimBridgeDbContext, Guid, string, DirectorySnapshot, StoredSourceState?, CancellationToken)"/>
    /// (see <see cref="StoredSourceRead"/>).
    /// </summary>
    internal static async Task PreloadMembersAsync(ScimBridgeDbContext db, StoredSourceState stored, IReadOnlyCollection<string> groupKeys, CancellationToken ct)
    {
        var keys = groupKeys as IReadOnlySet<string> ?? groupKeys.ToHashSet(StringComparer.Ordinal);
        var ids = new HashSet<Guid>();
        foreach (var group in stored.Groups)
        {
            if (keys.Contains(group.SourceKey))
            {
                ids.Add(group.Id);
            }
        }
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            stored.Preloaded = new PreloadedMembers(ids, ids.Count == 0 ? [] : await ReadMembersAsync(db, ids, [], [], ct));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The stored members of these groups (see <see cref="MemberRows.ReadAsync{T}"/>).</summary>
    private static Task<List<ManagedMember>> ReadMembersAsync(
        ScimBridgeDbContext db, IReadOnlyCollection<Guid> wholeGroupIds, IReadOnlyCollection<Guid> userIds, IReadOnlyCollection<Guid> memberGroupIds,
        CancellationToken ct) =>
        MemberRows.ReadAsync(db, wholeGroupIds, userIds, memberGroupIds,
            (group, member, type) => new ManagedMember(group, member, type == GroupMemberType.Group), ct);

    /// <summary>The state of <paramref name="source"/> for <paramref name="snapshot"/>.</summary>
    public static Task<ReconcileState> LoadAsync(
        ScimBridgeDbContext db, Guid organizationId, string source, DirectorySnapshot snapshot, CancellationToken ct) =>
        LoadAsync(db, organizationId, source, snapshot, stored: null, ct);

    /// <summary>
    /// The state of <paramref name="source"/> for <paramref name="snapshot"/>, from <paramref name="stored"/> when it was
    /// read already (see <see cref="ReadStoredAsync"/>).
    /// </summary>
    public static async Task<ReconcileState> LoadAsync(
        ScimBridgeDbContext db, Guid organizationId, string source, DirectorySnapshot snapshot, StoredSourceState? stored, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (stored is not null && (stored.OrganizationId != organizationId || stored.Source != source))
        {
            throw new ArgumentException($"The stored state is of source '{stored.Source}', not of '{source}'.", nameof(stored));
        }
        // One connection for every statement: on SQLite each open registers EF Core's functions anew.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await ReadAsync(db, organizationId, source, snapshot, stored, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// What the directory holds for <paramref name="source"/> whatever the source returns: its users (with every stored
    /// fingerprint), its groups and the userNames of everyone else, with the planner's lookups over them
    /// (<see cref="StoredIndex"/>); and, when the source's users and groups are much of the member numbers, the numbers
    /// into the context's cache. It also prepares the profile fingerprints the load takes of what the source returns. A run reads it while it reads the source, and hands it
    /// to <see cref="LoadAsync(ScimBridgeDbContext, Guid, string, DirectorySnapshot, StoredSourceState?, CancellationToken)"/>.
    /// </summary>
    public static async Task<StoredSourceState> ReadStoredAsync(ScimBridgeDbContext db, Guid organizationId, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var stored = await ReadStoredAsync(db, organizationId, source, fingerprintOf: null, ct);
            await MemberRows.ReadNumbersAsync(db, stored.Users.Count + stored.Groups.Count, ct);
            stored.Index.Build();
            ProfileFingerprint.Prepare();
            return stored;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<StoredSourceState> ReadStoredAsync(
        ScimBridgeDbContext db, Guid organizationId, string source, Func<string, bool>? fingerprintOf, CancellationToken ct) =>
        new(organizationId, source,
            await ManagedRows.ReadAsync(db, organizationId, source, fingerprintOf, ct),
            await ManagedRows.GroupsAsync(db, organizationId, source, ct),
            await ManagedRows.OthersAsync(db, organizationId, source, ct));

    private static async Task<ReconcileState> ReadAsync(
        ScimBridgeDbContext db, Guid organizationId, string source, DirectorySnapshot snapshot, StoredSourceState? stored, CancellationToken ct)
    {
        var incoming = new Dictionary<string, string>(snapshot.Users.Count, StringComparer.Ordinal);
        foreach (var user in snapshot.Users)
        {
            incoming.TryAdd(user.Key, ProfileFingerprint.Of(user.Profile));
        }
        // Read now, the stored fingerprints are wanted only for the users the source returned.
        stored ??= await ReadStoredAsync(db, organizationId, source, incoming.ContainsKey, ct);
        var users = stored.Users;
        var groups = stored.Groups;
        await ReadStaleProfilesAsync(db, stored.Index, incoming, ct);
        var seen = snapshot.Users.Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        var lookup = new UserLookup(snapshot, stored.Index, ReconcilePlanner.Departed(snapshot, users, seen, stored.Index.ByKey));

        var members = snapshot.IsFull
            ? await ReadMembersAsync(db, [.. groups.Select(g => g.Id)], [], [], ct)
            : await MembersForDeltaAsync(db, snapshot, groups, lookup, stored.Preloaded, ct);

        return new ReconcileState
        {
            Users = users,
            Groups = groups,
            Members = members,
            OtherUserNames = stored.OtherUserNames,
            IncomingFingerprints = incoming,
            Lookup = lookup,
        };
    }

    /// <summary>Gives the users whose stored fingerprint differs from the incoming one their stored profiles.</summary>
    private static async Task ReadStaleProfilesAsync(
        ScimBridgeDbContext db, StoredIndex index, Dictionary<string, string> incoming, CancellationToken ct)
    {
        var users = index.Users;
        var stale = new Dictionary<Guid, int>();
        for (var i = 0; i < users.Count; i++)
        {
            if (incoming.TryGetValue(users[i].SourceKey, out var fingerprint) && fingerprint != users[i].Fingerprint)
            {
                stale[users[i].Id] = i;
            }
        }
        if (stale.Count == 0)
        {
            return;
        }
        foreach (var batch in stale.Keys.Chunk(ProfileBatch))
        {
            await foreach (var user in db.Users.AsNoTracking().AsSplitQuery().Where(u => EF.Parameter(batch).Contains(u.Id)).AsAsyncEnumerable().WithCancellation(ct))
            {
                var at = stale[user.Id];
                index.Replace(at, users[at] with { Profile = user.ToProfile() });
            }
        }
    }
}

/// <summary>
/// What the directory holds for one source whatever the source returns (see <see cref="ReconcileStateLoader.ReadStoredAsync"/>).
/// It belongs to one run: the run's state is made of it.
/// </summary>
public sealed class StoredSourceState
{
    internal StoredSourceState(
        Guid organizationId, string source, List<ManagedUser> users, List<ManagedGroup> groups, Dictionary<string, string> otherUserNames)
    {
        (OrganizationId, Source, Users, Groups, OtherUserNames) = (organizationId, source, users, groups, otherUserNames);
        Index = new StoredIndex(users, groups);
    }

    public Guid OrganizationId { get; }
    public string Source { get; }
    internal List<ManagedUser> Users { get; }
    internal List<ManagedGroup> Groups { get; }
    internal Dictionary<string, string> OtherUserNames { get; }
    internal StoredIndex Index { get; }

    /// <summary>The stored members of the groups the source told it read (see <see cref="StoredSourceRead"/>), when read.</summary>
    internal PreloadedMembers? Preloaded { get; set; }
}

/// <summary>Every stored member row of the groups <see cref="GroupIds"/>.</summary>
internal sealed record PreloadedMembers(HashSet<Guid> GroupIds, List<ManagedMember> Rows);

/// <summary>
/// The reading of a source's stored state that a run does while it reads the source: what
/// <see cref="ReconcileStateLoader.ReadStoredAsync"/> reads, and then, once the source has told which groups its read
/// carries (<see cref="DirectoryReadProgress.GroupsRead"/>), those groups' stored members. An incremental read compares
/// its changed groups whole with what is stored; reading their rows meanwhile (a dense directory's changed groups hold
/// a quarter of a million members) leaves only the departed users' rows for after the read.
/// </summary>
public sealed class StoredSourceRead
{
    private readonly TaskCompletionSource<IReadOnlyCollection<string>?> _groups = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StoredSourceRead(ScimBridgeDbContext db, Guid organizationId, string source, CancellationToken ct)
    {
        Completion = Task.Run(() => ReadAsync(db, organizationId, source, ct), ct);
    }

    /// <summary>The stored state, with the told groups' members; the context is busy until it completes.</summary>
    public Task<StoredSourceState> Completion { get; }

    /// <summary>Starts reading on <paramref name="db"/>, which nothing else may use until <see cref="Completion"/>.</summary>
    public static StoredSourceRead Start(ScimBridgeDbContext db, Guid organizationId, string source, CancellationToken ct) =>
        new(db, organizationId, source, ct);

    /// <summary>Progress for the source's read that hands the groups it read to this.</summary>
    public DirectoryReadProgress Progress => new() { GroupsRead = keys => _groups.TrySetResult(keys) };

    /// <summary>The source's read has ended (or failed): no group will be told any more.</summary>
    public void SourceReadEnded() => _groups.TrySetResult(null);

    private async Task<StoredSourceState> ReadAsync(ScimBridgeDbContext db, Guid organizationId, string source, CancellationToken ct)
    {
        var stored = await ReconcileStateLoader.ReadStoredAsync(db, organizationId, source, ct);
        if (await _groups.Task.WaitAsync(ct) is { Count: > 0 } keys)
        {
            await ReconcileStateLoader.PreloadMembersAsync(db, stored, keys, ct);
        }
        return stored;
    }
}
