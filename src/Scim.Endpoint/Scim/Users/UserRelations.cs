using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Users;

/// <summary>A user's effective role in one team.</summary>
public sealed record UserTeam(Guid TeamId, string Name, TeamRole Role);

/// <summary>A group the user is a direct member of.</summary>
public sealed record UserGroup(Guid GroupId, string DisplayName);

/// <summary>What a user's SCIM representation shows beyond the user row: teams, groups, the manager's name.</summary>
public sealed record UserRelations(IReadOnlyList<UserTeam> Teams, IReadOnlyList<UserGroup> Groups, string? ManagerDisplayName)
{
    public static readonly UserRelations None = new([], [], null);

    /// <summary>Loads relations for a page of users in at most three queries, skipping what the response will not show.</summary>
    public static Task<Dictionary<Guid, UserRelations>> LoadAsync(
        ScimBridgeDbContext db, Guid organizationId, IReadOnlyList<User> users, ScimAttributeSelection selection, CancellationToken ct) =>
        LoadAsync(db, new EfUserReader(db), organizationId, users, selection, ct);

    /// <summary>One user's relations; the user's teams and groups come from <paramref name="reader"/>.</summary>
    public static async Task<UserRelations> LoadAsync(ScimBridgeDbContext db, IUserReader reader, User user, ScimAttributeSelection selection, CancellationToken ct) =>
        (await LoadAsync(db, reader, user.OrganizationId, [user], selection, ct))[user.Id];

    private static async Task<Dictionary<Guid, UserRelations>> LoadAsync(
        ScimBridgeDbContext db, IUserReader reader, Guid organizationId, IReadOnlyList<User> users, ScimAttributeSelection selection, CancellationToken ct)
    {
        var result = new Dictionary<Guid, UserRelations>(users.Count);
        if (users.Count == 0)
        {
            return result;
        }

        var ids = users.Select(u => u.Id).ToList();
        var teams = new Dictionary<Guid, List<UserTeam>>();
        var groups = new Dictionary<Guid, List<UserGroup>>();
        var wantTeams = selection.Returns(ScimUrns.PlatformUser);
        var wantGroups = selection.Returns("groups");
        var rows = ids.Count == 1
            ? [.. (await reader.RelationsAsync(organizationId, ids[0], wantTeams, wantGroups, ct))
                .Select(r => new RelationRow { UserId = ids[0], Id = r.Id, Name = r.Name, Role = r.IsTeam ? r.Role : null, IsTeam = r.IsTeam })]
            : await LoadManyAsync(db, organizationId, ids, wantTeams, wantGroups, ct);
        foreach (var byUser in rows.Where(r => r.IsTeam).GroupBy(r => r.UserId))
        {
            teams[byUser.Key] = [.. byUser
                .GroupBy(r => r.Id)
                .Select(t => new UserTeam(t.Key, t.First().Name, t.Max(r => r.Role!.Value)))
                .OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)];
        }

        foreach (var byUser in rows.Where(r => !r.IsTeam).GroupBy(r => r.UserId))
        {
            groups[byUser.Key] = [.. byUser.Select(r => new UserGroup(r.Id, r.Name)).OrderBy(g => g.DisplayName, StringComparer.OrdinalIgnoreCase)];
        }

        var managerNames = new Dictionary<Guid, string>();
        var managerIds = users
            .Select(u => Guid.TryParse(u.ManagerId, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty)
            .Distinct()
            .ToList();
        if (managerIds.Count > 0 && selection.Returns(ScimUrns.EnterpriseUser))
        {
            var managers = await db.Users.AsNoTracking().IgnoreAutoIncludes().LiveIn(organizationId)
                .Where(u => managerIds.Contains(u.Id))
                .Select(u => new { u.Id, Name = u.DisplayName ?? u.UserName })
                .ToListAsync(ct);
            foreach (var manager in managers)
            {
                managerNames[manager.Id] = manager.Name;
            }
        }

        foreach (var user in users)
        {
            var manager = Guid.TryParse(user.ManagerId, out var managerId) && managerNames.TryGetValue(managerId, out var name) ? name : null;
            result[user.Id] = new UserRelations(
                teams.TryGetValue(user.Id, out var t) ? t : [],
                groups.TryGetValue(user.Id, out var g) ? g : [],
                manager);
        }

        return result;
    }

    private static async Task<List<RelationRow>> LoadManyAsync(
        ScimBridgeDbContext db, Guid organizationId, List<Guid> ids, bool wantTeams, bool wantGroups, CancellationToken ct)
    {
        var teamRows =
            from m in db.TeamMemberships.AsNoTracking().Active()
            where m.OrganizationId == organizationId && ids.Contains(m.UserId)
            join t in db.Teams.AsNoTracking().Live() on m.TeamId equals t.Id
            select new RelationRow { UserId = m.UserId, Id = t.Id, Name = t.Name, Role = m.Role, IsTeam = true };
        var groupRows =
            from m in db.GroupMembers.AsNoTracking()
            where ids.Contains(m.MemberId) && m.MemberType == GroupMemberType.User
            join g in db.Groups.AsNoTracking().LiveIn(organizationId) on m.GroupId equals g.Id
            select new RelationRow { UserId = m.MemberId, Id = g.Id, Name = g.DisplayName, Role = null, IsTeam = false };

        // Teams and groups come back in one round trip (UNION ALL) when both are shown.
        var query = wantTeams && wantGroups ? teamRows.Concat(groupRows) : wantTeams ? teamRows : wantGroups ? groupRows : null;
        return query is null ? [] : await query.ToListAsync(ct);
    }

    private sealed class RelationRow
    {
        public Guid UserId { get; init; }
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        /// <summary>The team role; null for a group. Typed null rather than a constant role, which PostgreSQL cannot unite with the role column's text.</summary>
        public TeamRole? Role { get; init; }

        public bool IsTeam { get; init; }
    }
}
