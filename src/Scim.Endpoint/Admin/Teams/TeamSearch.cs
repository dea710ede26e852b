using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Admin.Shared;
using ScimBridge.Scim.Admin.Users;

namespace ScimBridge.Scim.Admin.Teams;

/// <summary>One row of the teams list.</summary>
public sealed record TeamRow(Guid Id, string Name, List<string> BaseNumbers, DateTimeOffset CreatedAt, DateTimeOffset? DeletedAt)
{
    public int Members { get; set; }
}

/// <summary>One member of a team: a user's role from one origin, with the reason it exists.</summary>
public sealed record TeamMemberRow(
    Guid UserId, string UserName, string? DisplayName, UserStatus Status, TeamRole Role, MembershipOrigin Origin, string? Cause, DateTimeOffset Since);

/// <summary>
/// The teams list (active or deleted, searched by name prefix) and a team's members, paged in the database: member
/// counts and members are read for the page's rows only.
/// </summary>
public sealed class TeamSearch(ScimBridgeDbContext db)
{
    public async Task<Paged<TeamRow>> SearchAsync(Guid organizationId, string? text, bool deleted, int page, int pageSize, CancellationToken ct)
    {
        var teams = db.Teams.AsNoTracking().Where(t => t.OrganizationId == organizationId);
        teams = deleted ? teams.Where(t => t.DeletedAt != null) : teams.Where(t => t.DeletedAt == null);
        if (!string.IsNullOrWhiteSpace(text))
        {
            teams = teams.Where(Prefix.Of<Team>(t => t.NormalizedName, Team.Normalize(text), db.IsSqlite));
        }

        var total = await teams.CountAsync(ct);
        var rows = await teams.OrderBy(t => t.NormalizedName)
            .Skip(Paging.Skip(page, pageSize)).Take(pageSize)
            .Select(t => new TeamRow(t.Id, t.Name, t.BaseNumbers, t.CreatedAt, t.DeletedAt))
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var counts = await db.TeamMemberships.AsNoTracking()
            .Where(m => ids.Contains(m.TeamId) && m.RemovedAt == null)
            .Select(m => new { m.TeamId, m.UserId }).Distinct()
            .GroupBy(m => m.TeamId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        foreach (var row in rows)
        {
            row.Members = counts.GetValueOrDefault(row.Id);
        }

        return new Paged<TeamRow>(rows, total, page, pageSize);
    }

    /// <summary>The team's memberships (one row per origin), by userName, of users not deleted.</summary>
    public async Task<Paged<TeamMemberRow>> MembersAsync(Guid teamId, int page, int pageSize, CancellationToken ct)
    {
        var members = db.TeamMemberships.AsNoTracking().Where(m => m.TeamId == teamId && m.RemovedAt == null)
            .Join(db.Users.IgnoreAutoIncludes().Where(u => u.DeletedAt == null), m => m.UserId, u => u.Id, (m, u) => new { m, u });
        var total = await members.CountAsync(ct);
        var rows = await members.OrderBy(x => x.u.NormalizedUserName).ThenBy(x => x.m.Origin)
            .Skip(Paging.Skip(page, pageSize)).Take(pageSize)
            .Select(x => new TeamMemberRow(x.u.Id, x.u.UserName, x.u.DisplayName, x.u.Status, x.m.Role, x.m.Origin, x.m.Cause, x.m.UpdatedAt))
            .ToListAsync(ct);
        return new Paged<TeamMemberRow>(rows, total, page, pageSize);
    }
}
