using Microsoft.AspNetCore.Http.Features;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Auth;

namespace ScimBridge.Scim.Operations;

/// <summary>
/// Names the organization a SCIM request acts for once it is authenticated: as a tag of ASP.NET Core's request
/// metrics (<c>http.server.request.duration</c>) and for the request's log line.
/// </summary>
public static class RequestTags
{
    public const string OrganizationTag = "scimbridge.organization";
    private const string ItemKey = "scimbridge.organization";

    /// <summary>The organization's slug set by <see cref="UseOrganizationTag"/>, or "-" for a request without one.</summary>
    public static string OrganizationOf(HttpContext context) => context.Items[ItemKey] as string ?? "-";

    /// <summary>After authorization: the principal of an authenticated SCIM request names its organization.</summary>
    public static IApplicationBuilder UseOrganizationTag(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.FindFirst(ScimTenant.OrganizationClaim)?.Value is { } id && Guid.TryParse(id, out var organizationId))
        {
            var slugs = context.RequestServices.GetRequiredService<OrganizationSlugs>();
            var db = context.RequestServices.GetRequiredService<ScimBridgeDbContext>();
            var slug = await slugs.FindAsync(db, organizationId, context.RequestAborted) ?? organizationId.ToString();
            context.Items[ItemKey] = slug;
            context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new(OrganizationTag, slug));
        }

        await next(context);
    });
}
