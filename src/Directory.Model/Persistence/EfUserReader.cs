using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence;

/// <summary>The user lookups as EF Core queries, precompiled: no expression-tree work per request.</summary>
public sealed class EfUserReader(ScimBridgeDbContext db) : IUserReader
{
    private static readonly CompiledPerModel<Func<ScimBridgeDbContext, Guid, Guid, CancellationToken, Task<User?>>> ById =
        new(() => EF.CompileAsyncQuery((ScimBridgeDbContext db, Guid organizationId, Guid userId, CancellationToken ct) => db.Users.AsNoTracking()
            .FirstOrDefault(u => u.Id == userId && u.OrganizationId == organizationId && u.DeletedAt == null)));

    /// <summary>The unique index gives at most one row.</summary>
    private static readonly CompiledPerModel<Func<ScimBridgeDbContext, Guid, string, IAsyncEnumerable<User>>> ByNormalizedUserName =
        new(() => EF.CompileAsyncQuery((ScimBridgeDbContext db, Guid organizationId, string normalized) => db.Users.AsNoTracking()
            .Where(u => u.OrganizationId == organizationId && u.NormalizedUserName == normalized && u.DeletedAt == null)));

    private static readonly CompiledPerModel<Func<ScimBridgeDbContext, Guid, Guid, IAsyncEnumerable<RelationRow>>> TeamsOfUser =
        new(() => EF.CompileAsyncQuery((ScimBridgeDbContext db, Guid organizationId, Guid userId) =>
            from m in db.TeamMemberships.AsNoTracking()
            where m.OrganizationId == organizationId && m.UserId == userId && m.RemovedAt == null
            join t in db.Teams.AsNoTracking() on m.TeamId equals t.Id
            where t.DeletedAt == null
            select new RelationRow { Id = t.Id, Name = t.Name, Role = m.Role, IsTeam = true }));

    private static readonly CompiledPerModel<Func<ScimBridgeDbContext, Guid, Guid, IAsyncEnumerable<RelationRow>>> TeamsAndGroupsOfUser =
        new(() => EF.CompileAsyncQuery((ScimBridgeDbContext db, Guid organizationId, Guid userId) =>
            (from m in db.TeamMemberships.AsNoTracking()
             where m.OrganizationId == organizationId && m.UserId == userId && m.RemovedAt == null
             join t in db.Teams.AsNoTracking() on m.TeamId equals t.Id
             where t.DeletedAt == null
             select new RelationRow { Id = t.Id, Name = t.Name, Role = m.Role, IsTeam = true })
            .Concat(
                from m in db.MemberEdges
                where m.MemberId == userId && m.MemberType == GroupMemberType.User
                join g in db.Groups.AsNoTracking() on m.GroupId equals g.Id
                where g.OrganizationId == organizationId && g.DeletedAt == null
                select new RelationRow { Id = g.Id, Name = g.DisplayName, Role = null, IsTeam = false })));

    private static readonly CompiledPerModel<Func<ScimBridgeDbContext, Guid, Guid, IAsyncEnumerable<RelationRow>>> GroupsOfUser =
        new(() => EF.CompileAsyncQuery((ScimBridgeDbContext db, Guid organizationId, Guid userId) =>
            from m in db.MemberEdges
            where m.MemberId == userId && m.MemberType == GroupMemberType.User
            join g in db.Groups.AsNoTracking() on m.GroupId equals g.Id
            where g.OrganizationId == organizationId && g.DeletedAt == null
            select new RelationRow { Id = g.Id, Name = g.DisplayName, Role = null, IsTeam = false }));

    public Task<User?> FindByIdAsync(Guid organizationId, Guid userId, CancellationToken ct) =>
        ById.For(db)(db, organizationId, userId, ct);

    public async Task<User?> FindByNormalizedUserNameAsync(Guid organizationId, string normalizedUserName, CancellationToken ct)
    {
        User? user = null;
        await foreach (var found in ByNormalizedUserName.For(db)(db, organizationId, normalizedUserName).WithCancellation(ct))
        {
            user = found;
        }

        return user;
    }

    public async Task<IReadOnlyList<UserRelationRow>> RelationsAsync(Guid organizationId, Guid userId, bool teams, bool groups, CancellationToken ct)
    {
        var rows = new List<UserRelationRow>();
        var query = teams && groups ? TeamsAndGroupsOfUser : teams ? TeamsOfUser : groups ? GroupsOfUser : null;
        if (query is not null)
        {
            await foreach (var row in query.For(db)(db, organizationId, userId).WithCancellation(ct))
            {
                rows.Add(new UserRelationRow(row.Id, row.Name, row.Role ?? TeamRole.Viewer, row.IsTeam));
            }
        }

        return rows;
    }

    public async Task<IReadOnlyList<UserWithRelations>> PageAsync(
        Guid organizationId, IReadOnlyList<Guid> ids, bool teams, bool groups, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var wanted = ids.ToList();
        var users = (await db.Users.AsNoTracking().LiveIn(organizationId).Where(u => wanted.Contains(u.Id)).ToListAsync(ct))
            .ToDictionary(u => u.Id);
        var teamRows =
            from m in db.TeamMemberships.AsNoTracking().Active()
            where m.OrganizationId == organizationId && wanted.Contains(m.UserId)
            join t in db.Teams.AsNoTracking().Live() on m.TeamId equals t.Id
            select new RelationRow { UserId = m.UserId, Id = t.Id, Name = t.Name, Role = m.Role, IsTeam = true };
        var groupRows =
            from m in db.MemberEdges
            where wanted.Contains(m.MemberId) && m.MemberType == GroupMemberType.User
            join g in db.Groups.AsNoTracking().LiveIn(organizationId) on m.GroupId equals g.Id
            select new RelationRow { UserId = m.MemberId, Id = g.Id, Name = g.DisplayName, Role = null, IsTeam = false };

        // Teams and groups come back in one round trip (UNION ALL) when both are shown.
        var query = teams && groups ? teamRows.Concat(groupRows) : teams ? teamRows : groups ? groupRows : null;
        var relations = (query is null ? [] : await query.ToListAsync(ct))
            .ToLookup(r => r.UserId, r => new UserRelationRow(r.Id, r.Name, r.Role ?? TeamRole.Viewer, r.IsTeam));
        return [.. wanted.Where(users.ContainsKey).Select(id => new UserWithRelations(users[id], [.. relations[id]]))];
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
