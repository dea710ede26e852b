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

        var userTotal = users is null ? 0 : await users.LongCountAsync(ct);
        var groupTotal = groups is null ? 0 : await groups.LongCountAsync(ct);
        var resources = new List<JsonObject>();
        var urls = ScimUrls.For(http.Request);
        if (users is not null && query.Count > 0 && query.Offset < userTotal)
        {
            var (page, _) = await UserSearch.PageAsync(db, tenant.OrganizationId, users, query, query.Offset, query.Count, urls, ct);
            resources.AddRange(page);
        }

        var remaining = query.Count - resources.Count;
        if (groups is not null && remaining > 0)
        {
            var offset = (int)Math.Max(0, query.Offset - userTotal);
            var (page, _) = await GroupSearch.PageAsync(db, tenant.OrganizationId, groups, query, offset, remaining, urls, ct);
            resources.AddRange(page);
        }

        return ScimListResponse.Create(userTotal + groupTotal, query.StartIndex, resources);
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
