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
        var (resources, total) = await PageAsync(db, tenant.OrganizationId, matching, query, query.Offset, query.Count, ScimUrls.For(http.Request), ct);
        return ScimListResponse.Create(total, query.StartIndex, resources);
    }

    public static IQueryable<DirectoryGroup> Matching(ScimBridgeDbContext db, Guid organizationId, FilterNode? filter)
    {
        var groups = db.Groups.AsNoTracking().LiveIn(organizationId);
        return filter is null ? groups : GroupFilter.Apply(groups, filter, db.GroupMembers.AsNoTracking());
    }

    public static async Task<(IReadOnlyList<JsonObject> Resources, long Total)> PageAsync(
        ScimBridgeDbContext db, Guid organizationId, IQueryable<DirectoryGroup> matching, ScimListQuery query, int offset, int count, ScimUrls urls, CancellationToken ct)
    {
        if (count == 0)
        {
            return ([], await matching.LongCountAsync(ct));
        }

        var ordered = query.SortBy is null
            ? matching.OrderBy(g => g.CreatedAt).ThenBy(g => g.Id)
            : ScimSort.Apply(matching, query.SortBy, query.SortOrder);
        var page = await ordered.Skip(offset).Take(count).ToListAsync(ct);
        long total = page.Count > 0 && page.Count < count ? offset + page.Count
            : offset == 0 && page.Count == 0 ? 0
            : await matching.LongCountAsync(ct);
        var members = query.Attributes.Returns("members")
            ? await GroupMemberView.LoadAsync(db, organizationId, page.Select(g => g.Id).ToList(), ct)
            : null;
        var resources = new List<JsonObject>(page.Count);
        foreach (var group in page)
        {
            resources.Add(query.Attributes.Apply(ScimGroupMapping.ToScim(group, members?[group.Id], urls)));
        }

        return (resources, total);
    }
}
