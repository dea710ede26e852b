using System.Linq.Expressions;
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
    /// <summary>
    /// Above this many matches (estimated from the indexes) a search reads the organization's users once, testing each,
    /// instead of uniting the matches of every field (see <see cref="Filter"/>).
    /// </summary>
    public const int BroadSearchMatches = 20_000;

    public async Task<Paged<UserRow>> SearchAsync(Guid organizationId, UserQuery query, CancellationToken ct)
    {
        var users = Filter(organizationId, query, await IsBroadAsync(organizationId, query.Text, ct));
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
    /// <param name="broad">
    /// The text matches many of the organization's users (<see cref="IsBroadAsync"/>): they are found by testing each
    /// user of the organization, which also lets a page sorted by userName stop after its rows. The united matches of
    /// each field cost two lookups per match: 1.7 s for a prefix that all of 100,000 users share.
    /// </param>
    public IQueryable<User> Filter(Guid organizationId, UserQuery query, bool broad = false)
    {
        var users = db.Users.IgnoreAutoIncludes().AsNoTracking().Where(u => u.DeletedAt == null);
        if (broad && !string.IsNullOrWhiteSpace(query.Text))
        {
            users = users.Where(u => u.OrganizationId == organizationId).Where(AnyFieldStartsWith(User.Normalize(query.Text)));
        }
        else if (!string.IsNullOrWhiteSpace(query.Text))
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
    private IQueryable<Guid> Matching(Guid organizationId, string prefix) =>
        FieldsOf(organizationId, prefix).Aggregate((united, field) => united.Union(field));

    /// <summary>
    /// Whether the text is a prefix of so many users' fields that testing every user of the organization is cheaper
    /// than uniting the matches. SQLite only, where the union was measured slow; each field's index range is counted up
    /// to the limit, so a narrow search pays a few index probes for the answer.
    /// </summary>
    public async Task<bool> IsBroadAsync(Guid organizationId, string? text, CancellationToken ct)
    {
        if (!db.IsSqlite || string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var found = 0;
        foreach (var field in FieldsOf(organizationId, User.Normalize(text)))
        {
            found += await field.Take(BroadSearchMatches - found).CountAsync(ct);
            if (found >= BroadSearchMatches)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The organization's users each field matches, apart, in the order they are most likely to be many: one indexed
    /// range per field. E-mails are found by their own index, and each match is checked against its user's organization.
    /// </summary>
    private IEnumerable<IQueryable<Guid>> FieldsOf(Guid organizationId, string prefix)
    {
        var inOrganization = db.Users.IgnoreAutoIncludes().Where(u => u.OrganizationId == organizationId);
        yield return inOrganization.Where(Prefix.Of<User>(u => u.NormalizedUserName, prefix, db.IsSqlite)).Select(u => u.Id);
        yield return db.Set<UserEmail>().Where(Prefix.Of<UserEmail>(e => e.NormalizedValue, prefix, db.IsSqlite))
            .Where(e => db.Users.Any(u => u.Id == e.UserId && u.OrganizationId == organizationId))
            .Select(e => e.UserId);
        yield return inOrganization.Where(Prefix.Of<User>(u => u.FamilyName!.ToUpper(), prefix, db.IsSqlite)).Select(u => u.Id);
        yield return inOrganization.Where(Prefix.Of<User>(u => u.GivenName!.ToUpper(), prefix, db.IsSqlite)).Select(u => u.Id);
        yield return inOrganization.Where(Prefix.Of<User>(u => u.DisplayName!.ToUpper(), prefix, db.IsSqlite)).Select(u => u.Id);
    }

    /// <summary>userName, an e-mail, given, family or display name starts with the (upper-cased) prefix, as one condition on a user.</summary>
    private Expression<Func<User, bool>> AnyFieldStartsWith(string prefix)
    {
        var user = Expression.Parameter(typeof(User), "u");
        Expression[] fields =
        [
            Prefix.On(user, Prefix.Of<User>(u => u.NormalizedUserName, prefix, db.IsSqlite)),
            Prefix.On(user, Prefix.Of<User>(u => u.GivenName!.ToUpper(), prefix, db.IsSqlite)),
            Prefix.On(user, Prefix.Of<User>(u => u.FamilyName!.ToUpper(), prefix, db.IsSqlite)),
            Prefix.On(user, Prefix.Of<User>(u => u.DisplayName!.ToUpper(), prefix, db.IsSqlite)),
            // Last: the only field that costs a lookup, made only for a user no other field matched.
            Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [typeof(UserEmail)],
                Expression.Property(user, nameof(User.Emails)), Prefix.Of<UserEmail>(e => e.NormalizedValue, prefix, db.IsSqlite)),
        ];
        return Expression.Lambda<Func<User, bool>>(fields.Aggregate(Expression.OrElse), user);
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
