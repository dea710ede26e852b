using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Admin.Users;

/// <summary>One source of a user's role in a team, with why it exists (the mapping rule, or who set it by hand).</summary>
public sealed record MembershipSource(Guid TeamId, string Team, bool TeamDeleted, TeamRole Role, MembershipOrigin Origin, string? Cause, DateTimeOffset Since);

/// <summary>A user's team: the effective role (the highest source) and every source.</summary>
public sealed record TeamOfUser(Guid TeamId, string Team, bool Deleted, TeamRole EffectiveRole, IReadOnlyList<MembershipSource> Sources)
{
    public MembershipSource? Manual => Sources.FirstOrDefault(s => s.Origin == MembershipOrigin.Manual);
}

/// <summary>A group the user is in: directly, or through the nested group named in <see cref="Via"/>.</summary>
public sealed record GroupOfUser(Guid Id, string DisplayName, string ManagedBy, string? Via);

/// <summary>Everything the user page shows about one user.</summary>
public sealed record UserDetail(User User, IReadOnlyList<TeamOfUser> Teams, IReadOnlyList<GroupOfUser> Groups, IReadOnlyList<AuditEntry> History, string? DefaultTeam);

/// <summary>Reads one user of an organization with teams, groups and history; a user of another organization is not found.</summary>
public sealed class UserDetails(ScimBridgeDbContext db)
{
    private const int HistoryLength = 50;
    private const int MaxNesting = 32;

    public async Task<UserDetail?> FindAsync(Guid organizationId, Guid userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().AsSplitQuery().FirstOrDefaultAsync(u => u.Id == userId && u.OrganizationId == organizationId && u.DeletedAt == null, ct);
        if (user is null)
        {
            return null;
        }

        var sources = await db.TeamMemberships.AsNoTracking()
            .Where(m => m.OrganizationId == organizationId && m.UserId == userId && m.RemovedAt == null)
            .Join(db.Teams, m => m.TeamId, t => t.Id, (m, t) => new MembershipSource(t.Id, t.Name, t.DeletedAt != null, m.Role, m.Origin, m.Cause, m.UpdatedAt))
            .ToListAsync(ct);
        var teams = sources.GroupBy(s => s.TeamId)
            .Select(g => new TeamOfUser(g.Key, g.First().Team, g.First().TeamDeleted, g.Max(s => s.Role),
                [.. g.OrderBy(s => s.Origin == MembershipOrigin.Mapping ? 0 : 1)]))
            .OrderBy(t => t.Deleted).ThenBy(t => t.Team, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var history = await db.AuditEntries.AsNoTracking()
            .Where(a => a.OrganizationId == organizationId && a.TargetType == UserProvisioning.TargetType && a.TargetId == userId.ToString())
            .OrderByDescending(a => a.Id)
            .Take(HistoryLength)
            .ToListAsync(ct);
        var defaultTeam = user.DefaultTeamId is { } teamId
            ? await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.Name).FirstOrDefaultAsync(ct)
            : null;
        return new UserDetail(user, teams, await GroupsAsync(organizationId, userId, ct), history, defaultTeam);
    }

    /// <summary>Direct groups, then the groups that contain them, level by level; a nested group names the group it was reached through.</summary>
    private async Task<List<GroupOfUser>> GroupsAsync(Guid organizationId, Guid userId, CancellationToken ct)
    {
        var result = new List<GroupOfUser>();
        var names = new Dictionary<Guid, string>();
        var frontier = new List<Guid> { userId };
        for (var depth = 0; depth < MaxNesting && frontier.Count > 0; depth++)
        {
            var members = frontier;
            var memberType = depth == 0 ? GroupMemberType.User : GroupMemberType.Group;
            var parents = await db.MemberEdges
                .Where(m => members.Contains(m.MemberId) && m.MemberType == memberType)
                .Join(db.Groups.Where(g => g.OrganizationId == organizationId && g.DeletedAt == null), m => m.GroupId, g => g.Id,
                    (m, g) => new { m.MemberId, g.Id, g.DisplayName, g.ManagedBy })
                .ToListAsync(ct);
            frontier = [];
            foreach (var parent in parents.OrderBy(p => p.DisplayName, StringComparer.OrdinalIgnoreCase))
            {
                if (names.TryAdd(parent.Id, parent.DisplayName))
                {
                    result.Add(new GroupOfUser(parent.Id, parent.DisplayName, parent.ManagedBy, depth == 0 ? null : names[parent.MemberId]));
                    frontier.Add(parent.Id);
                }
            }
        }

        return result;
    }
}
