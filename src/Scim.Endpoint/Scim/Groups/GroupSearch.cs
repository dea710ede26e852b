using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Auth;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Groups;

/// <summary>Filtered, sorted, paged group queries; members of a page load in bulk and only when returned.</summary>
public static class GroupSearch
{
    public static async Task<IResult> RespondAsync(HttpContext http, ScimBridgeDbContext db, ScimListQuery query, CancellationToken ct)
    {
        var tenant = ScimTenant.From(http.User);
        var matching = Matching(db, tenant.OrganizationId, query.Filter is null ? null : ScimFilterParser.Parse(query.Filter, query.FilterLimits));
        var urls = ScimUrls.For(http.Request);
        if (query.CursorPaging)
        {
            var (ids, next, previous) = query.SortBy is null
                ? await ListPaging.KeysetPageAsync(matching, g => g.CreatedAt, g => g.Id, query.Cursor, query.Count, ct)
                : await ListPaging.SortedCursorPageAsync(OrderedIds(matching, query), query.Cursor, query.Count, ct);
            var total = await matching.LongCountAsync(ct);
            return ScimListResponse.Create(new CursorPage(await RenderAsync(db, tenant.OrganizationId, ids, query.Attributes, urls, ct), total, next, previous));
        }

        var (resources, count) = await PageAsync(db, tenant.OrganizationId, matching, query, query.Offset, query.Count, urls, ct);
        return ScimListResponse.Create(count, query.StartIndex, resources);
    }

    public static IQueryable<DirectoryGroup> Matching(ScimBridgeDbContext db, Guid organizationId, FilterNode? filter)
    {
        var groups = db.Groups.AsNoTracking().LiveIn(organizationId);
        return filter is null ? groups : GroupFilter.Apply(groups, filter, db.MemberEdges);
    }

    public static async Task<(IReadOnlyList<JsonObject> Resources, long Total)> PageAsync(
        ScimBridgeDbContext db, Guid organizationId, IQueryable<DirectoryGroup> matching, ScimListQuery query, int offset, int count, ScimUrls urls, CancellationToken ct)
    {
        if (count == 0)
        {
            return ([], await matching.LongCountAsync(ct));
        }

        var ids = await ListPaging.IndexPageAsync(OrderedIds(matching, query), offset, count, ct);
        long total = ids.Count > 0 && ids.Count < count ? offset + ids.Count
            : offset == 0 && ids.Count == 0 ? 0
            : await matching.LongCountAsync(ct);
        return (await RenderAsync(db, organizationId, ids, query.Attributes, urls, ct), total);
    }

    private static IQueryable<Guid> OrderedIds(IQueryable<DirectoryGroup> matching, ScimListQuery query) =>
        (query.SortBy is null ? matching.OrderBy(g => g.CreatedAt).ThenBy(g => g.Id) : ScimSort.Apply(matching, query.SortBy, query.SortOrder))
            .Select(g => g.Id);

    /// <summary>The groups with these ids, in this order; their members are loaded in bulk and only when returned.</summary>
    private static async Task<IReadOnlyList<JsonObject>> RenderAsync(
        ScimBridgeDbContext db, Guid organizationId, List<Guid> ids, ScimAttributeSelection attributes, ScimUrls urls, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var loaded = await db.Groups.AsNoTracking().Where(g => g.OrganizationId == organizationId && ids.Contains(g.Id)).ToListAsync(ct);
        var byId = loaded.ToDictionary(g => g.Id);
        var page = ids.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
        var members = attributes.Returns("members")
            ? await GroupMemberView.LoadAsync(db, organizationId, page.Select(g => g.Id).ToList(), ct)
            : null;
        var resources = new List<JsonObject>(page.Count);
        foreach (var group in page)
        {
            resources.Add(attributes.Apply(ScimGroupMapping.ToScim(group, members?[group.Id], urls)));
        }

        return resources;
    }
}
