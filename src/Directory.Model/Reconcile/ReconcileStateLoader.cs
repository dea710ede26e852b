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
        ScimBridgeDbContext db, DirectorySnapshot snapshot, List<ManagedGroup> groups, UserLookup users, CancellationToken ct)
    {
        var named = snapshot.Groups.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var groupIds = groups.Where(g => named.Contains(g.SourceKey)).Select(g => g.Id).ToList();
        if (groupIds.Count == 0 && users.Departed.Count == 0)
        {
            return [];
        }
        return await ReadMembersAsync(db, groupIds, [.. users.Departed.Select(d => d.User.Id)], [.. groups.Select(g => g.Id)], ct);
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
            : await MembersForDeltaAsync(db, snapshot, groups, lookup, ct);

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
}
