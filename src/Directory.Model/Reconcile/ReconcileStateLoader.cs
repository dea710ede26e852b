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
        ScimBridgeDbContext db, DirectorySnapshot snapshot, List<ManagedGroup> groups, IEnumerable<(Guid Id, string Key)> users, CancellationToken ct)
    {
        var named = snapshot.Groups.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var groupIds = groups.Where(g => named.Contains(g.SourceKey)).Select(g => g.Id).ToList();
        var seen = snapshot.Users.Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        var removed = snapshot.RemovedUserKeys.Concat(snapshot.UserKeysLeftScope).ToHashSet(StringComparer.Ordinal);
        var departed = users
            .Where(u => !seen.Contains(u.Key) && (removed.Contains(u.Key) || snapshot.UserKeysInScope is { } inScope && !inScope.Contains(u.Key)))
            .Select(u => u.Id)
            .ToList();

        if (groupIds.Count == 0 && departed.Count == 0)
        {
            return [];
        }
        var rows = await MemberRows.ReadAsync(db, groupIds, departed, [.. groups.Select(g => g.Id)], ct);
        return [.. rows.Select(m => new ManagedMember(m.GroupId, m.MemberId, m.MemberType == GroupMemberType.Group))];
    }

    /// <summary>The stored members of these groups, read as numbers and turned into ids once per number.</summary>
    private static async Task<List<ManagedMember>> ReadMembersAsync(ScimBridgeDbContext db, IEnumerable<Guid> groupIds, CancellationToken ct) =>
        [.. (await MemberRows.ReadOfGroupsAsync(db, groupIds, ct)).Select(m => new ManagedMember(m.GroupId, m.MemberId, m.MemberType == GroupMemberType.Group))];

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
        var rows = await ManagedRows.ReadAsync(db, organizationId, source, ct);

        var incoming = new Dictionary<string, string>(snapshot.Users.Count, StringComparer.Ordinal);
        foreach (var user in snapshot.Users)
        {
            incoming.TryAdd(user.Key, ProfileFingerprint.Of(user.Profile));
        }
        var stale = rows
            .Where(r => incoming.TryGetValue(r.SourceKey, out var fingerprint) && fingerprint != r.Fingerprint)
            .Select(r => r.Id)
            .ToList();
        var profiles = new Dictionary<Guid, UserProfile>(stale.Count);
        foreach (var batch in stale.Chunk(ProfileBatch))
        {
            await foreach (var user in db.Users.AsNoTracking().AsSplitQuery().Where(u => EF.Parameter(batch).Contains(u.Id)).AsAsyncEnumerable().WithCancellation(ct))
            {
                profiles[user.Id] = user.ToProfile();
            }
        }

        var otherNames = await ManagedRows.OthersAsync(db, organizationId, source, ct);
        var groups = await ManagedRows.GroupsAsync(db, organizationId, source, ct);
        var members = snapshot.IsFull
            ? await ReadMembersAsync(db, groups.Select(g => g.Id), ct)
            : await MembersForDeltaAsync(db, snapshot, groups, rows.Select(r => (r.Id, r.SourceKey)), ct);

        return new ReconcileState
        {
            Users = [.. rows.Select(r => new ManagedUser(r.Id, r.SourceKey, r.UserName, r.Active, r.DeactivatedBy, r.Deleted)
            {
                Fingerprint = r.Fingerprint,
                Profile = profiles.GetValueOrDefault(r.Id),
            })],
            Groups = groups,
            Members = members,
            OtherUserNames = otherNames,
            IncomingFingerprints = incoming,
        };
    }
}
