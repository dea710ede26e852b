using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Admin.Shared;

namespace ScimBridge.Scim.Admin.Users;

/// <summary>What the users list asks for; every field comes from the URL so a view can be bookmarked.</summary>
public sealed record UserQuery(string? Text, UserStatus? State, string? ManagedBy, Guid? TeamId, string Sort, bool Descending, int Page, int PageSize)
{
    public static readonly IReadOnlyList<string> Sorts = ["userName", "name", "created", "state"];
}

/// <summary>One row of the users list.</summary>
public sealed record UserRow(
    Guid Id, string UserName, string? GivenName, string? FamilyName, string? DisplayName, string? Email, UserStatus Status,
    string ManagedBy, DateTimeOffset CreatedAt)
{
    public IReadOnlyList<UserTeamRole> Teams { get; set; } = [];

    public string Name => DisplayName ?? string.Join(' ', new[] { GivenName, FamilyName }.Where(n => !string.IsNullOrWhiteSpace(n)));
}

/// <summary>A user's effective role in one team (the highest of its memberships).</summary>
public sealed record UserTeamRole(Guid TeamId, string Team, TeamRole Role);

/// <summary>
/// The users list: case-insensitive prefix search on userName, e-mail and names, filters, sort and paging, all in the
/// database, so that an organization of 100,000 users answers as fast as one of ten.
/// </summary>
public sealed class UserSearch(ScimBridgeDbContext db)
{
    public async Task<Paged<UserRow>> SearchAsync(Guid organizationId, UserQuery query, CancellationToken ct)
    {
        var users = Filter(organizationId, query);
        var total = await users.CountAsync(ct);
        var rows = await Sort(users, query)
            .Skip(Paging.Skip(query.Page, query.PageSize))
            .Take(query.PageSize)
            .Select(u => new UserRow(u.Id, u.UserName, u.GivenName, u.FamilyName, u.DisplayName,
                u.Emails.OrderByDescending(e => e.Primary).ThenBy(e => e.Id).Select(e => e.Value).FirstOrDefault(),
                u.Status, u.ManagedBy, u.CreatedAt))
            .ToListAsync(ct);
        await AddTeamsAsync(organizationId, rows, ct);
        return new Paged<UserRow>(rows, total, query.Page, query.PageSize);
    }

    /// <summary>The names that manage users in the organization (<c>manual</c>, <c>scim</c>, sync sources), for the filter.</summary>
    public Task<List<string>> ManagersAsync(Guid organizationId, CancellationToken ct) =>
        db.Users.IgnoreAutoIncludes().AsNoTracking().Where(u => u.OrganizationId == organizationId)
            .Select(u => u.ManagedBy).Distinct().OrderBy(m => m).ToListAsync(ct);

    /// <summary>The users a query finds, unsorted and unpaged (the list pages them; an export reads them all, page by page).</summary>
    public IQueryable<User> Filter(Guid organizationId, UserQuery query)
    {
        var users = db.Users.IgnoreAutoIncludes().AsNoTracking().Where(u => u.DeletedAt == null);
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            // Every branch of Matching is limited to the organization, so the users are found by id from it; an
            // organization condition here as well made SQLite walk all of the organization's users instead.
            var matches = Matching(organizationId, User.Normalize(query.Text));
            users = users.Where(u => matches.Contains(u.Id));
        }
        else
        {
            users = users.Where(u => u.OrganizationId == organizationId);
        }

        if (query.State is { } state)
        {
            users = users.Where(u => u.Status == state);
        }

        if (!string.IsNullOrWhiteSpace(query.ManagedBy))
        {
            users = users.Where(u => u.ManagedBy == query.ManagedBy);
        }

        if (query.TeamId is { } teamId)
        {
            // Driven from the team's members (index on TeamId), not by probing every user's memberships.
            var members = db.TeamMemberships.Where(m => m.TeamId == teamId && m.RemovedAt == null).Select(m => m.UserId);
            users = users.Where(u => members.Contains(u.Id));
        }

        return users;
    }

    /// <summary>
    /// Ids of the organization's users whose userName, an e-mail, given, family or display name starts with the
    /// (upper-cased) prefix: one indexed range per field, united, so no query reads every user.
    /// </summary>
    private IQueryable<Guid> Matching(Guid organizationId, string prefix)
    {
        var inOrganization = db.Users.IgnoreAutoIncludes().Where(u => u.OrganizationId == organizationId);
        var byUserName = inOrganization.Where(Prefix.Of<User>(u => u.NormalizedUserName, prefix, db.IsSqlite)).Select(u => u.Id);
        // Driven by the e-mail index; each match is checked against its user's organization.
        var byEmail = db.Set<UserEmail>().Where(Prefix.Of<UserEmail>(e => e.NormalizedValue, prefix, db.IsSqlite))
            .Where(e => db.Users.Any(u => u.Id == e.UserId && u.OrganizationId == organizationId))
            .Select(e => e.UserId);
        var byGivenName = inOrganization.Where(Prefix.Of<User>(u => u.GivenName!.ToUpper(), prefix, db.IsSqlite)).Select(u => u.Id);
        var byFamilyName = inOrganization.Where(Prefix.Of<User>(u => u.FamilyName!.ToUpper(), prefix, db.IsSqlite)).Select(u => u.Id);
        var byDisplayName = inOrganization.Where(Prefix.Of<User>(u => u.DisplayName!.ToUpper(), prefix, db.IsSqlite)).Select(u => u.Id);
        return byUserName.Union(byEmail).Union(byGivenName).Union(byFamilyName).Union(byDisplayName);
    }

    private static IQueryable<User> Sort(IQueryable<User> users, UserQuery query) => (query.Sort, query.Descending) switch
    {
        ("name", false) => users.OrderBy(u => u.FamilyName).ThenBy(u => u.GivenName).ThenBy(u => u.NormalizedUserName),
        ("name", true) => users.OrderByDescending(u => u.FamilyName).ThenByDescending(u => u.GivenName).ThenByDescending(u => u.NormalizedUserName),
        ("created", false) => users.OrderBy(u => u.CreatedAt).ThenBy(u => u.NormalizedUserName),
        ("created", true) => users.OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.NormalizedUserName),
        ("state", false) => users.OrderBy(u => u.Status).ThenBy(u => u.NormalizedUserName),
        ("state", true) => users.OrderByDescending(u => u.Status).ThenByDescending(u => u.NormalizedUserName),
        (_, true) => users.OrderByDescending(u => u.NormalizedUserName),
        _ => users.OrderBy(u => u.NormalizedUserName),
    };

    /// <summary>The teams of the page's users only: one query for at most a page of ids.</summary>
    private async Task AddTeamsAsync(Guid organizationId, List<UserRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var ids = rows.Select(r => r.Id).ToList();
        var memberships = await db.TeamMemberships.AsNoTracking()
            .Where(m => m.OrganizationId == organizationId && ids.Contains(m.UserId) && m.RemovedAt == null)
            .Join(db.Teams.Where(t => t.DeletedAt == null), m => m.TeamId, t => t.Id, (m, t) => new { m.UserId, m.TeamId, t.Name, m.Role })
            .ToListAsync(ct);
        var byUser = memberships.ToLookup(m => m.UserId);
        foreach (var row in rows)
        {
            row.Teams = [.. byUser[row.Id]
                .GroupBy(m => m.TeamId)
                .Select(g => new UserTeamRole(g.Key, g.First().Name, g.Max(m => m.Role)))
                .OrderBy(t => t.Team, StringComparer.OrdinalIgnoreCase)];
        }
    }
}
