using System.Linq.Expressions;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// Which rows count as there, in one place: a user or group not deleted (SCIM DELETE, gone from the directory), a team
/// not deleted, a team membership not removed. The predicates also serve queries that EF Core precompiles, where an
/// extension method cannot be seen into; <c>Persistence/Sqlite/SqliteUserStatements</c> states the same rules in SQL, and a test holds
/// both to the same rows.
/// </summary>
public static class Visibility
{
    public static readonly Expression<Func<User, bool>> LiveUser = u => u.DeletedAt == null;
    public static readonly Expression<Func<DirectoryGroup, bool>> LiveGroup = g => g.DeletedAt == null;
    public static readonly Expression<Func<Team, bool>> LiveTeam = t => t.DeletedAt == null;
    public static readonly Expression<Func<TeamMembership, bool>> ActiveMembership = m => m.RemovedAt == null;

    /// <summary>Users not deleted.</summary>
    public static IQueryable<User> Live(this IQueryable<User> users) => users.Where(LiveUser);

    /// <summary>Groups not deleted.</summary>
    public static IQueryable<DirectoryGroup> Live(this IQueryable<DirectoryGroup> groups) => groups.Where(LiveGroup);

    /// <summary>Teams not deleted.</summary>
    public static IQueryable<Team> Live(this IQueryable<Team> teams) => teams.Where(LiveTeam);

    /// <summary>Team memberships not removed.</summary>
    public static IQueryable<TeamMembership> Active(this IQueryable<TeamMembership> memberships) => memberships.Where(ActiveMembership);

    /// <summary>Live users of one organization.</summary>
    public static IQueryable<User> LiveIn(this IQueryable<User> users, Guid organizationId) =>
        users.Where(u => u.OrganizationId == organizationId).Live();

    /// <summary>Live groups of one organization.</summary>
    public static IQueryable<DirectoryGroup> LiveIn(this IQueryable<DirectoryGroup> groups, Guid organizationId) =>
        groups.Where(g => g.OrganizationId == organizationId).Live();
}
