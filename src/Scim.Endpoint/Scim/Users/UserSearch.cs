using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Auth;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Users;

/// <summary>Filtered, sorted, paged user queries; everything runs in SQL and a page's relations load in bulk.</summary>
public static class UserSearch
{
    public static async Task<IResult> RespondAsync(HttpContext http, ScimBridgeDbContext db, ScimListQuery query, CancellationToken ct)
    {
        var tenant = ScimTenant.From(http.User);
        var filter = query.Filter is null ? null : ScimFilterParser.Parse(query.Filter, query.FilterLimits);
        if (filter is not null && UserNameEquals(filter) is { } userName)
        {
            return await RespondByUserNameAsync(http, db, tenant.OrganizationId, userName, query, ct);
        }

        var matching = Matching(db, tenant.OrganizationId, filter);
        var (resources, total) = await PageAsync(db, tenant.OrganizationId, matching, query, query.Offset, query.Count, ScimUrls.For(http.Request), ct);
        return ScimListResponse.Create(total, query.StartIndex, resources);
    }

    /// <summary>
    /// The IdP's probe for one user (<c>userName eq "…"</c>): the unique index gives at most one row, so paging and
    /// sorting reduce to whether that row is on the requested page.
    /// </summary>
    private static async Task<IResult> RespondByUserNameAsync(
        HttpContext http, ScimBridgeDbContext db, Guid organizationId, string userName, ScimListQuery query, CancellationToken ct)
    {
        var users = http.RequestServices.GetRequiredService<IUserReader>();
        var user = await users.FindByNormalizedUserNameAsync(organizationId, User.Normalize(userName), ct);
        if (user is null || query.Offset > 0 || query.Count == 0)
        {
            return ScimListResponse.Create(user is null ? 0 : 1, query.StartIndex, []);
        }

        var relations = await UserRelations.LoadAsync(db, users, user, query.Attributes, ct);
        var resource = query.Attributes.Apply(ScimUserMapping.ToScim(user, relations, ScimUrls.For(http.Request)));
        return ScimListResponse.Create(1, query.StartIndex, [resource]);
    }

    /// <summary>The organization's visible users that match the filter.</summary>
    public static IQueryable<User> Matching(ScimBridgeDbContext db, Guid organizationId, FilterNode? filter)
    {
        var users = db.Users.AsNoTracking().LiveIn(organizationId);
        if (filter is null)
        {
            return users;
        }

        // The common IdP lookup goes straight to the (OrganizationId, NormalizedUserName) index.
        if (UserNameEquals(filter) is { } userName)
        {
            var normalized = User.Normalize(userName);
            return users.Where(u => u.NormalizedUserName == normalized);
        }

        return UserFilter.Apply(users, filter);
    }

    /// <summary>One page of rendered users and the total; the count query is skipped when the page shows the end.</summary>
    public static async Task<(IReadOnlyList<JsonObject> Resources, long Total)> PageAsync(
        ScimBridgeDbContext db, Guid organizationId, IQueryable<User> matching, ScimListQuery query, int offset, int count, ScimUrls urls, CancellationToken ct)
    {
        if (count == 0)
        {
            return ([], await matching.LongCountAsync(ct));
        }

        var ordered = query.SortBy is null
            ? matching.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id)
            : ScimSort.Apply(matching, query.SortBy, query.SortOrder);
        var page = await ordered.Skip(offset).Take(count).ToListAsync(ct);
        long total = page.Count > 0 && page.Count < count ? offset + page.Count
            : offset == 0 && page.Count == 0 ? 0
            : await matching.LongCountAsync(ct);
        var relations = await UserRelations.LoadAsync(db, organizationId, page, query.Attributes, ct);
        var resources = new List<JsonObject>(page.Count);
        foreach (var user in page)
        {
            resources.Add(query.Attributes.Apply(ScimUserMapping.ToScim(user, relations[user.Id], urls)));
        }

        return (resources, total);
    }

    private static string? UserNameEquals(FilterNode filter) =>
        filter is ComparisonFilter { Operator: ComparisonOperator.Eq, Path.SubAttribute: null } comparison
        && string.Equals(comparison.Path.Name, "userName", StringComparison.OrdinalIgnoreCase)
        && (comparison.Path.Schema is null || string.Equals(comparison.Path.Schema, ScimUrns.User, StringComparison.OrdinalIgnoreCase))
        && comparison.Value is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : null;
}
