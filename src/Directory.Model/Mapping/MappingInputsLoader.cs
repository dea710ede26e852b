using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Mapping;

/// <summary>
/// Reads what the engine needs with no-tracking projections of the needed columns only. A whole organization is read
/// with one scan per table; a few users are read by index, walking up from their groups to the groups above them.
/// </summary>
internal static class MappingInputsLoader
{
    /// <summary>Above this many users one scan of the organization is cheaper than looking each user up.</summary>
    private const int ScanThreshold = 20_000;

    public static async Task<MappingInputs> LoadAsync(ScimBridgeDbContext db, Guid organizationId, IReadOnlyCollection<Guid>? userIds, CancellationToken ct)
    {
        var wanted = userIds?.Distinct().ToList();
        var scan = wanted is null || wanted.Count > ScanThreshold;
        var users = db.Users.AsNoTracking().IgnoreAutoIncludes().Where(u => u.OrganizationId == organizationId);
        var memberships = MembershipsOf(db, organizationId);
        if (!scan)
        {
            users = users.Where(u => wanted!.Contains(u.Id));
            memberships = memberships.Where(m => wanted!.Contains(m.UserId));
        }

        // A whole-organization read outside a transaction scans memberships on a second connection meanwhile: the two
        // largest tables load in parallel. Inside a transaction the caller's staged rows are only visible on its own connection.
        var membershipScan = scan && db.Database.CurrentTransaction is null
            ? Task.Run(async () =>
            {
                await using var sibling = db.CreateSibling();
                return await ReadMembershipsAsync(MembershipsOf(sibling, organizationId), ct);
            }, ct)
            : null;

        var userRows = await users
            .Select(u => new MappedUser(u.Id, u.Status != UserStatus.Deactivated, u.DeactivatedBy == ManagedBySources.Mapping, u.DeletedAt != null,
                u.ManagedBy != ManagedBySources.Manual, u.OrganizationRole, u.OrganizationRoleFromMapping, u.DefaultTeamId))
            .ToListAsync(ct);
        if (wanted is not null && scan)
        {
            var set = wanted.ToHashSet();
            userRows.RemoveAll(u => !set.Contains(u.Id));
        }

        var userIndex = new Dictionary<Guid, int>(userRows.Count);
        for (var i = 0; i < userRows.Count; i++)
        {
            userIndex[userRows[i].Id] = i;
        }

        var groups = new GroupTable();
        var userGroups = new List<int>?[userRows.Count];
        if (scan)
        {
            await LoadAllGroupsAsync(db, organizationId, groups, userIndex, userGroups, ct);
        }
        else
        {
            await LoadGroupsAboveAsync(db, organizationId, groups, userIndex, userGroups, ct);
        }

        var membershipRows = membershipScan is null ? await ReadMembershipsAsync(memberships, ct) : await membershipScan;
        var mapped = new List<CurrentMembership>?[userRows.Count];
        var manual = new List<Guid>?[userRows.Count];
        foreach (var m in membershipRows)
        {
            if (!userIndex.TryGetValue(m.UserId, out var u))
            {
                continue;
            }

            if (m.Origin == MembershipOrigin.Mapping)
            {
                (mapped[u] ??= []).Add(new CurrentMembership(m.Id, m.TeamId, m.Role, m.Removed));
            }
            else
            {
                (manual[u] ??= []).Add(m.TeamId);
            }
        }

        var teams = await db.Teams.AsNoTracking()
            .Where(t => t.OrganizationId == organizationId)
            .Select(t => new { t.Id, t.Name, t.NormalizedName, Deleted = t.DeletedAt != null })
            .ToListAsync(ct);

        return new MappingInputs
        {
            OrganizationId = organizationId,
            Groups = [.. groups.Identities],
            GroupDeleted = [.. groups.Deleted],
            GroupParents = [.. groups.Parents.Select(p => p?.ToArray() ?? [])],
            Users = [.. userRows],
            UserGroups = [.. userGroups.Select(g => g?.ToArray() ?? [])],
            MappedMemberships = [.. mapped.Select(m => m?.ToArray())],
            ManualTeams = [.. manual.Select(m => m?.ToArray())],
            Teams = teams.ToDictionary(t => t.NormalizedName, t => new TeamInfo(t.Id, t.Name, true, t.Deleted)),
        };
    }

    /// <summary>Mapped memberships (removed ones too: they are revived rather than duplicated) and live manual ones.</summary>
    private static IQueryable<TeamMembership> MembershipsOf(ScimBridgeDbContext db, Guid organizationId) => db.TeamMemberships.AsNoTracking()
        .Where(m => m.OrganizationId == organizationId && (m.Origin == MembershipOrigin.Mapping || m.RemovedAt == null));

    private static Task<List<MembershipRow>> ReadMembershipsAsync(IQueryable<TeamMembership> memberships, CancellationToken ct) => memberships
        .Select(m => new MembershipRow(m.Id, m.TeamId, m.UserId, m.Role, m.Origin, m.RemovedAt != null))
        .ToListAsync(ct);

    private sealed record MembershipRow(Guid Id, Guid TeamId, Guid UserId, TeamRole Role, MembershipOrigin Origin, bool Removed);

    /// <summary>The users below these groups, directly or through nested groups (cycles are cut).</summary>
    public static async Task<List<Guid>> UsersBelowAsync(ScimBridgeDbContext db, IReadOnlyCollection<Guid> groupIds, CancellationToken ct)
    {
        var seen = groupIds.ToHashSet();
        var frontier = seen.ToList();
        var users = new HashSet<Guid>();
        while (frontier.Count > 0)
        {
            var batch = frontier;
            var rows = await db.MemberEdges
                .Where(m => batch.Contains(m.GroupId))
                .Select(m => new { m.MemberId, m.MemberType })
                .ToListAsync(ct);
            frontier = [];
            foreach (var row in rows)
            {
                if (row.MemberType == GroupMemberType.User)
                {
                    users.Add(row.MemberId);
                }
                else if (seen.Add(row.MemberId))
                {
                    frontier.Add(row.MemberId);
                }
            }
        }

        return [.. users];
    }

    private static async Task LoadAllGroupsAsync(
        ScimBridgeDbContext db, Guid organizationId, GroupTable groups, Dictionary<Guid, int> userIndex, List<int>?[] userGroups, CancellationToken ct)
    {
        var rows = await db.Groups.AsNoTracking()
            .Where(g => g.OrganizationId == organizationId)
            .Select(g => new { g.Id, g.DisplayName, g.ExternalId, g.DistinguishedName, Deleted = g.DeletedAt != null })
            .ToListAsync(ct);
        foreach (var g in rows)
        {
            groups.Add(new GroupIdentity(g.Id, g.DisplayName, g.ExternalId, g.DistinguishedName), g.Deleted);
        }

        var edges = from m in db.MemberEdges
                    join g in db.Groups on m.GroupId equals g.Id
                    where g.OrganizationId == organizationId
                    select new { m.GroupId, m.MemberId, m.MemberType };
        await foreach (var edge in edges.AsAsyncEnumerable().WithCancellation(ct))
        {
            var parent = groups.Index[edge.GroupId];
            if (edge.MemberType == GroupMemberType.User)
            {
                if (userIndex.TryGetValue(edge.MemberId, out var u))
                {
                    (userGroups[u] ??= []).Add(parent);
                }
            }
            else if (groups.Index.TryGetValue(edge.MemberId, out var child))
            {
                (groups.Parents[child] ??= []).Add(parent);
            }
        }
    }

    private static async Task LoadGroupsAboveAsync(
        ScimBridgeDbContext db, Guid organizationId, GroupTable groups, Dictionary<Guid, int> userIndex, List<int>?[] userGroups, CancellationToken ct)
    {
        var ids = userIndex.Keys.ToList();
        var direct = await db.MemberEdges
            .Where(m => ids.Contains(m.MemberId) && m.MemberType == GroupMemberType.User)
            .Select(m => new { m.GroupId, m.MemberId })
            .ToListAsync(ct);

        // Walk up: the groups that contain the groups found so far, until no new group turns up.
        var nested = new List<(Guid Parent, Guid Child)>();
        var seen = direct.Select(d => d.GroupId).ToHashSet();
        var frontier = seen.ToList();
        while (frontier.Count > 0)
        {
            var batch = frontier;
            var parents = await db.MemberEdges
                .Where(m => batch.Contains(m.MemberId) && m.MemberType == GroupMemberType.Group)
                .Select(m => new { m.GroupId, m.MemberId })
                .ToListAsync(ct);
            frontier = [];
            foreach (var edge in parents)
            {
                nested.Add((edge.GroupId, edge.MemberId));
                if (seen.Add(edge.GroupId))
                {
                    frontier.Add(edge.GroupId);
                }
            }
        }

        var all = seen.ToList();
        var rows = await db.Groups.AsNoTracking()
            .Where(g => g.OrganizationId == organizationId && all.Contains(g.Id))
            .Select(g => new { g.Id, g.DisplayName, g.ExternalId, g.DistinguishedName, Deleted = g.DeletedAt != null })
            .ToListAsync(ct);
        foreach (var g in rows)
        {
            groups.Add(new GroupIdentity(g.Id, g.DisplayName, g.ExternalId, g.DistinguishedName), g.Deleted);
        }

        foreach (var edge in direct)
        {
            if (groups.Index.TryGetValue(edge.GroupId, out var g))
            {
                (userGroups[userIndex[edge.MemberId]] ??= []).Add(g);
            }
        }

        foreach (var (parent, child) in nested)
        {
            if (groups.Index.TryGetValue(parent, out var p) && groups.Index.TryGetValue(child, out var c))
            {
                (groups.Parents[c] ??= []).Add(p);
            }
        }
    }

    /// <summary>Groups numbered in the order they are read.</summary>
    private sealed class GroupTable
    {
        public Dictionary<Guid, int> Index { get; } = [];
        public List<GroupIdentity> Identities { get; } = [];
        public List<bool> Deleted { get; } = [];
        public List<List<int>?> Parents { get; } = [];

        public void Add(GroupIdentity identity, bool deleted)
        {
            Index[identity.Id] = Identities.Count;
            Identities.Add(identity);
            Deleted.Add(deleted);
            Parents.Add(null);
        }
    }
}
