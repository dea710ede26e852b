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
        if (!query.CursorPaging && filter is not null && UserNameEquals(filter) is { } userName)
        {
            return await RespondByUserNameAsync(http, db, tenant.OrganizationId, userName, query, ct);
        }

        var matching = Matching(db, tenant.OrganizationId, filter);
        var urls = ScimUrls.For(http.Request);
        var reader = http.RequestServices.GetRequiredService<IUserReader>();
        if (query.CursorPaging)
        {
            return ScimListResponse.Create(await CursorPageAsync(db, reader, tenant.OrganizationId, matching, filter is null ? http.RequestServices.GetRequiredService<PageAnchors>() : null, query, urls, ct));
        }

        if (filter is null && query.SortBy is null && query.Count > 0)
        {
            // The whole list in its default order: pages at any depth seek from an anchor instead of stepping over an offset.
            var anchors = http.RequestServices.GetRequiredService<PageAnchors>();
            if (await anchors.PageAsync(db, tenant.OrganizationId, query.Offset, query.Count, ct) is { } anchored)
            {
                var rendered = await RenderAsync(db, reader, tenant.OrganizationId, anchored.Ids, query.Attributes, urls, ct);
                return ScimListResponse.Create(anchored.Total, query.StartIndex, rendered);
            }
        }

        var (resources, total) = await PageAsync(db, reader, tenant.OrganizationId, matching, query, query.Offset, query.Count, urls, ct);
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

        return UserFilter.Apply(users, filter, db.UserAddresses);
    }

    /// <summary>One page of rendered users and the total; the count query is skipped when the page shows the end.</summary>
    public static async Task<(IReadOnlyList<JsonObject> Resources, long Total)> PageAsync(
        ScimBridgeDbContext db, IUserReader reader, Guid organizationId, IQueryable<User> matching, ScimListQuery query, int offset, int count, ScimUrls urls, CancellationToken ct)
    {
        if (count == 0)
        {
            return ([], await matching.LongCountAsync(ct));
        }

        var ids = await ListPaging.IndexPageAsync(OrderedIds(matching, query), offset, count, ct);
        long total = ids.Count > 0 && ids.Count < count ? offset + ids.Count
            : offset == 0 && ids.Count == 0 ? 0
            : await matching.LongCountAsync(ct);
        return (await RenderAsync(db, reader, organizationId, ids, query.Attributes, urls, ct), total);
    }

    /// <summary>
    /// One page by cursor (RFC 9865): a keyset seek in the default order, an offset when sorted by sortBy. The total of
    /// the whole list (<paramref name="whole"/> given: no filter) comes from the page anchors instead of a count.
    /// </summary>
    private static async Task<CursorPage> CursorPageAsync(
        ScimBridgeDbContext db, IUserReader reader, Guid organizationId, IQueryable<User> matching, PageAnchors? whole, ScimListQuery query, ScimUrls urls, CancellationToken ct)
    {
        var (ids, next, previous) = query.SortBy is null
            ? await ListPaging.KeysetPageAsync(matching, u => u.CreatedAt, u => u.Id, query.Cursor, query.Count, ct)
            : await ListPaging.SortedCursorPageAsync(OrderedIds(matching, query), query.Cursor, query.Count, ct);
        // The whole list's total comes from the page anchors instead of a count of every user on every page.
        var total = whole is not null ? await whole.TotalAsync(db, organizationId, ct) : await matching.LongCountAsync(ct);
        return new CursorPage(await RenderAsync(db, reader, organizationId, ids, query.Attributes, urls, ct), total, next, previous);
    }

    private static IQueryable<Guid> OrderedIds(IQueryable<User> matching, ScimListQuery query) =>
        (query.SortBy is null ? matching.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id) : ScimSort.Apply(matching, query.SortBy, query.SortOrder))
            .Select(u => u.Id);

    /// <summary>The users with these ids, in this order, with the relations the response shows.</summary>
    private static async Task<IReadOnlyList<JsonObject>> RenderAsync(
        ScimBridgeDbContext db, IUserReader reader, Guid organizationId, List<Guid> ids, ScimAttributeSelection attributes, ScimUrls urls, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var page = await UserRelations.LoadPageAsync(db, reader, organizationId, ids, attributes, ct);
        return [.. page.Select(p => attributes.Apply(ScimUserMapping.ToScim(p.User, p.Relations, urls)))];
    }

    private static string? UserNameEquals(FilterNode filter) =>
        filter is ComparisonFilter { Operator: ComparisonOperator.Eq, Path.SubAttribute: null } comparison
        && string.Equals(comparison.Path.Name, "userName", StringComparison.OrdinalIgnoreCase)
        && (comparison.Path.Schema is null || string.Equals(comparison.Path.Schema, ScimUrns.User, StringComparison.OrdinalIgnoreCase))
        && comparison.Value is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : null;
}
