using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Auth;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Groups;
using ScimBridge.Scim.Options;
using ScimBridge.Scim.Users;

namespace ScimBridge.Scim.Resources;

/// <summary><c>POST /.search</c> at the root (RFC 7644 §3.4.3): users, then groups, paged as one list.</summary>
public static class RootSearchEndpoint
{
    public static RouteGroupBuilder MapRootSearch(this RouteGroupBuilder scim)
    {
        scim.MapPost("/.search", SearchAsync);
        return scim;
    }

    public static async Task<IResult> SearchAsync(HttpContext http, ScimBridgeDbContext db, IOptions<ScimOptions> options, CancellationToken ct)
    {
        var tenant = ScimTenant.From(http.User);
        var query = ScimListQuery.FromSearchRequest(await ScimRequestBody.ReadObjectAsync(http, ct), options.Value);
        var filter = query.Filter is null ? null : ScimFilterParser.Parse(query.Filter, query.FilterLimits);

        // A filter on an attribute only one resource type has selects nothing of the other type.
        var users = TryMatch(() => UserSearch.Matching(db, tenant.OrganizationId, filter), out var userError);
        var groups = TryMatch(() => GroupSearch.Matching(db, tenant.OrganizationId, filter), out var groupError);
        if (users is null && groups is null)
        {
            throw userError ?? groupError!;
        }

        // Cursors here are offsets into the users-then-groups list.
        var start = !query.CursorPaging ? query.Offset : query.Cursor switch
        {
            null => 0,
            ScimCursor.Offset offset => offset.Skip,
            _ => throw ScimCursor.InvalidCursor("This cursor belongs to /Users or /Groups, not to the root /.search."),
        };
        var userTotal = users is null ? 0 : await users.LongCountAsync(ct);
        var groupTotal = groups is null ? 0 : await groups.LongCountAsync(ct);
        var resources = new List<JsonObject>();
        var urls = ScimUrls.For(http.Request);
        if (users is not null && query.Count > 0 && start < userTotal)
        {
            var (page, _) = await UserSearch.PageAsync(db, http.RequestServices.GetRequiredService<IUserReader>(), tenant.OrganizationId, users, query, start, query.Count, urls, ct);
            resources.AddRange(page);
        }

        var remaining = query.Count - resources.Count;
        if (groups is not null && remaining > 0)
        {
            var offset = (int)Math.Max(0, start - userTotal);
            var (page, _) = await GroupSearch.PageAsync(db, tenant.OrganizationId, groups, query, offset, remaining, urls, ct);
            resources.AddRange(page);
        }

        var total = userTotal + groupTotal;
        if (query.CursorPaging)
        {
            var end = start + resources.Count;
            return ScimListResponse.Create(new CursorPage(resources, total,
                resources.Count > 0 && end < total ? new ScimCursor.Offset(end) : null,
                start > 0 ? new ScimCursor.Offset(Math.Max(0, start - query.Count)) : null));
        }

        return ScimListResponse.Create(total, query.StartIndex, resources);
    }

    private static IQueryable<T>? TryMatch<T>(Func<IQueryable<T>> match, out ScimException? error)
    {
        try
        {
            error = null;
            return match();
        }
        catch (ScimException e) when (e.ScimType == ScimErrorTypes.InvalidFilter)
        {
            error = e;
            return null;
        }
    }
}
