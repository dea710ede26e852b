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

    public static async Task<ReconcileState> LoadAsync(
        ScimBridgeDbContext db, Guid organizationId, string source, DirectorySnapshot snapshot, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(snapshot);
        // One connection for every statement: on SQLite each open registers EF Core's functions anew.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await ReadAsync(db, organizationId, source, snapshot, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<ReconcileState> ReadAsync(
        ScimBridgeDbContext db, Guid organizationId, string source, DirectorySnapshot snapshot, CancellationToken ct)
    {
        var incoming = new Dictionary<string, string>(snapshot.Users.Count, StringComparer.Ordinal);
        foreach (var user in snapshot.Users)
        {
            incoming.TryAdd(user.Key, ProfileFingerprint.Of(user.Profile));
        }
        var users = await ManagedRows.ReadAsync(db, organizationId, source, incoming, ct);
        await ReadStaleProfilesAsync(db, users, incoming, ct);
        var byKey = ReconcilePlanner.ByKey(users);
        var seen = snapshot.Users.Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        var lookup = new UserLookup(snapshot, users, byKey, ReconcilePlanner.Departed(snapshot, users, seen, byKey));

        var otherNames = await ManagedRows.OthersAsync(db, organizationId, source, ct);
        var groups = await ManagedRows.GroupsAsync(db, organizationId, source, ct);
        var members = snapshot.IsFull
            ? await ReadMembersAsync(db, [.. groups.Select(g => g.Id)], [], [], ct)
            : await MembersForDeltaAsync(db, snapshot, groups, lookup, ct);

        return new ReconcileState
        {
            Users = users,
            Groups = groups,
            Members = members,
            OtherUserNames = otherNames,
            IncomingFingerprints = incoming,
            Lookup = lookup,
        };
    }

    /// <summary>Gives the users whose stored fingerprint differs from the incoming one their stored profiles.</summary>
    private static async Task ReadStaleProfilesAsync(
        ScimBridgeDbContext db, List<ManagedUser> users, Dictionary<string, string> incoming, CancellationToken ct)
    {
        var stale = new Dictionary<Guid, int>();
        for (var i = 0; i < users.Count; i++)
        {
            if (incoming.TryGetValue(users[i].SourceKey, out var fingerprint) && fingerprint != users[i].Fingerprint)
            {
                stale[users[i].Id] = i;
            }
        }
        foreach (var batch in stale.Keys.Chunk(ProfileBatch))
        {
            await foreach (var user in db.Users.AsNoTracking().AsSplitQuery().Where(u => EF.Parameter(batch).Contains(u.Id)).AsAsyncEnumerable().WithCancellation(ct))
            {
                var index = stale[user.Id];
                users[index] = users[index] with { Profile = user.ToProfile() };
            }
        }
    }
}
