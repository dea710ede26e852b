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

    /// <summary>A list page: the visible users with these ids, in this order, each with the relations the response shows.</summary>
    public static async Task<IReadOnlyList<(User User, UserRelations Relations)>> LoadPageAsync(
        ScimBridgeDbContext db, IUserReader reader, Guid organizationId, IReadOnlyList<Guid> ids, ScimAttributeSelection selection, CancellationToken ct)
    {
        var page = await reader.PageAsync(organizationId, ids, selection.Returns(ScimUrns.PlatformUser), selection.Returns("groups"), ct);
        var managers = await ManagerNamesAsync(db, organizationId, page.Select(p => p.User), selection, ct);
        return [.. page.Select(p => (p.User, Build(p.User, p.Relations, managers)))];
    }

    /// <summary>One user's relations; the user's teams and groups come from <paramref name="reader"/>.</summary>
    public static async Task<UserRelations> LoadAsync(ScimBridgeDbContext db, IUserReader reader, User user, ScimAttributeSelection selection, CancellationToken ct)
    {
        var wantTeams = selection.Returns(ScimUrns.PlatformUser);
        var wantGroups = selection.Returns("groups");
        var rows = wantTeams || wantGroups ? await reader.RelationsAsync(user.OrganizationId, user.Id, wantTeams, wantGroups, ct) : [];
        return Build(user, rows, await ManagerNamesAsync(db, user.OrganizationId, [user], selection, ct));
    }

    private static UserRelations Build(User user, IReadOnlyList<UserRelationRow> rows, Dictionary<Guid, string> managerNames)
    {
        List<UserTeam> teams = [.. rows
            .Where(r => r.IsTeam)
            .GroupBy(r => r.Id)
            .Select(t => new UserTeam(t.Key, t.First().Name, t.Max(r => r.Role)))
            .OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)];
        List<UserGroup> groups = [.. rows
            .Where(r => !r.IsTeam)
            .Select(r => new UserGroup(r.Id, r.Name))
            .OrderBy(g => g.DisplayName, StringComparer.OrdinalIgnoreCase)];
        var manager = Guid.TryParse(user.ManagerId, out var managerId) && managerNames.TryGetValue(managerId, out var name) ? name : null;
        return new UserRelations(teams, groups, manager);
    }

    /// <summary>The display names of these users' managers, when the response shows the enterprise extension.</summary>
    private static async Task<Dictionary<Guid, string>> ManagerNamesAsync(
        ScimBridgeDbContext db, Guid organizationId, IEnumerable<User> users, ScimAttributeSelection selection, CancellationToken ct)
    {
        var managerIds = users
            .Select(u => Guid.TryParse(u.ManagerId, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty)
            .Distinct()
            .ToList();
        if (managerIds.Count == 0 || !selection.Returns(ScimUrns.EnterpriseUser))
        {
            return [];
        }

        return await db.Users.AsNoTracking().IgnoreAutoIncludes().LiveIn(organizationId)
            .Where(u => managerIds.Contains(u.Id))
            .Select(u => new { u.Id, Name = u.DisplayName ?? u.UserName })
            .ToDictionaryAsync(u => u.Id, u => u.Name, ct);
    }
}
