using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Auth;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Options;
using ScimBridge.Scim.Patch;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Users;

/// <summary>The <c>/Users</c> resource: create, read, list and search, replace, patch, delete.</summary>
public static class UsersEndpoints
{
    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder scim)
    {
        var users = scim.MapGroup("/Users");
        // A create usually never touches EF Core's connection (see UserProvisioning.CreateAndSaveAsync).
        users.MapPost("", CreateAsync).WithMetadata(ScimEndpoints.ConnectionOnDemand.Instance);
        users.MapGet("", ListAsync);
        users.MapPost("/.search", SearchAsync);
        users.MapGet("/{id}", GetAsync);
        users.MapPut("/{id}", ReplaceAsync);
        users.MapPatch("/{id}", PatchAsync);
        users.MapDelete("/{id}", DeleteAsync);
        return scim;
    }

    public static async Task<IResult> CreateAsync(
        HttpContext http, ScimBridgeDbContext db, UserProvisioning provisioning, MembershipProvisioning memberships, CancellationToken ct)
    {
        var tenant = ScimTenant.From(http.User);
        var body = await ScimRequestBody.ReadObjectAsync(http, ct);
        var profile = ScimUserMapping.ToProfile(body, ScimRequestBody.Options(http).ValueLimits());
        await ManagerReference.RequireAsync(db, tenant.OrganizationId, profile.Enterprise.ManagerId, null, ct);
        var user = await provisioning.CreateAndSaveAsync(profile, tenant.Provisioning, memberships, ct);

        // A new user is in no group yet; its teams can only come from a recompute, which is visible on the next read.
        var urls = ScimUrls.For(http.Request);
        var json = ScimUserMapping.ToScim(user, UserRelations.None, urls);
        return new ScimJsonResult(StatusCodes.Status201Created, json, ScimVersion.ETag(user.Version), urls.Users + user.Id);
    }

    public static async Task<IResult> GetAsync(string id, HttpContext http, IUserReader users, ScimBridgeDbContext db, CancellationToken ct)
    {
        var tenant = ScimTenant.From(http.User);
        var user = (Guid.TryParse(id, out var userId) ? await users.FindByIdAsync(tenant.OrganizationId, userId, ct) : null)
            ?? throw ScimException.NotFound($"User '{id}' not found.");
        var etag = ScimVersion.ETag(user.Version);
        if (ScimVersion.NotModified(http.Request, user.Version))
        {
            return new ScimEmptyResult(StatusCodes.Status304NotModified, etag);
        }

        var selection = ScimAttributeSelection.Parse(http.Request.Query["attributes"], http.Request.Query["excludedAttributes"]);
        var relations = await UserRelations.LoadAsync(db, users, user, selection, ct);
        var json = selection.Apply(ScimUserMapping.ToScim(user, relations, ScimUrls.For(http.Request)));
        return new ScimJsonResult(StatusCodes.Status200OK, json, etag);
    }

    public static async Task<IResult> ListAsync(HttpContext http, ScimBridgeDbContext db, IOptions<ScimOptions> options, CancellationToken ct)
    {
        var query = ScimListQuery.FromQueryString(http.Request, options.Value);
        return await UserSearch.RespondAsync(http, db, query, ct);
    }

    public static async Task<IResult> SearchAsync(HttpContext http, ScimBridgeDbContext db, IOptions<ScimOptions> options, CancellationToken ct)
    {
        var query = ScimListQuery.FromSearchRequest(await ScimRequestBody.ReadObjectAsync(http, ct), options.Value);
        return await UserSearch.RespondAsync(http, db, query, ct);
    }

    public static async Task<IResult> ReplaceAsync(
        string id, HttpContext http, ScimBridgeDbContext db, UserProvisioning provisioning, MembershipProvisioning memberships, CancellationToken ct)
    {
        var tenant = ScimTenant.From(http.User);
        JsonObject? body = null;
        return await provisioning.RetryOnConflictAsync(async () =>
        {
            var user = await FindAsync(db.Users, tenant.OrganizationId, id, ct);
            ScimVersion.RequireMatch(http.Request, user.Version);
            body ??= await ScimRequestBody.ReadObjectAsync(http, ct);
            RequireSameId(body, user);
            var profile = ScimUserMapping.ToProfile(body, ScimRequestBody.Options(http).ValueLimits());
            return await SaveAsync(http, db, user, profile, tenant, provisioning, memberships, ct);
        }, ct);
    }

    public static async Task<IResult> PatchAsync(
        string id, HttpContext http, ScimBridgeDbContext db, UserProvisioning provisioning, MembershipProvisioning memberships, CancellationToken ct)
    {
        var tenant = ScimTenant.From(http.User);
        PatchRequest? patch = null;

        // Applied to the user as it is when the write lands: concurrent PATCHes of other attributes are kept.
        return await provisioning.RetryOnConflictAsync(async () =>
        {
            var user = await FindAsync(db.Users, tenant.OrganizationId, id, ct);
            ScimVersion.RequireMatch(http.Request, user.Version);
            patch ??= PatchRequest.Parse(await ScimRequestBody.ReadObjectAsync(http, ct), ScimRequestBody.Options(http).ParseLimits());
            var urls = ScimUrls.For(http.Request);
            var json = ScimUserMapping.ToScim(user, UserRelations.None, urls);
            UserPatcher.Apply(json, patch);
            RequireSameId(json, user);
            var profile = ScimUserMapping.ToProfile(json, ScimRequestBody.Options(http).ValueLimits());
            return await SaveAsync(http, db, user, profile, tenant, provisioning, memberships, ct);
        }, ct);
    }

    public static async Task<IResult> DeleteAsync(
        string id, HttpContext http, ScimBridgeDbContext db, UserProvisioning provisioning, MembershipProvisioning memberships, CancellationToken ct)
    {
        var tenant = ScimTenant.From(http.User);
        return await provisioning.RetryOnConflictAsync<IResult>(async () =>
        {
            var user = await FindAsync(db.Users, tenant.OrganizationId, id, ct);
            ScimVersion.RequireMatch(http.Request, user.Version);
            provisioning.Delete(user, tenant.Provisioning);
            await provisioning.SaveAsync(tenant.Provisioning, memberships, ct);
            return new ScimEmptyResult(StatusCodes.Status204NoContent);
        }, ct);
    }

    /// <summary>The user with this id in the organization, not deleted; anything else answers 404.</summary>
    public static async Task<User> FindAsync(IQueryable<User> users, Guid organizationId, string id, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var userId))
        {
            throw ScimException.NotFound($"User '{id}' not found.");
        }

        return await users.LiveIn(organizationId).FirstOrDefaultAsync(u => u.Id == userId, ct)
            ?? throw ScimException.NotFound($"User '{id}' not found.");
    }

    private static async Task<IResult> SaveAsync(
        HttpContext http, ScimBridgeDbContext db, User user, UserProfile profile, ScimTenant tenant,
        UserProvisioning provisioning, MembershipProvisioning memberships, CancellationToken ct)
    {
        if (!string.Equals(profile.Enterprise.ManagerId, user.ManagerId, StringComparison.OrdinalIgnoreCase))
        {
            await ManagerReference.RequireAsync(db, tenant.OrganizationId, profile.Enterprise.ManagerId, user.Id, ct);
        }

        if (await provisioning.UpdateAsync(user, profile, tenant.Provisioning, ct))
        {
            await provisioning.SaveAsync(tenant.Provisioning, memberships, ct);
        }

        var selection = ScimAttributeSelection.Parse(http.Request.Query["attributes"], http.Request.Query["excludedAttributes"]);
        var relations = await UserRelations.LoadAsync(db, http.RequestServices.GetRequiredService<IUserReader>(), user, selection, ct);
        var json = selection.Apply(ScimUserMapping.ToScim(user, relations, ScimUrls.For(http.Request)));
        return new ScimJsonResult(StatusCodes.Status200OK, json, ScimVersion.ETag(user.Version));
    }

    private static void RequireSameId(JsonObject json, User user)
    {
        var id = ScimNode.String(json, "id");
        if (id is not null && !string.Equals(id, user.Id.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            throw ScimException.Mutability("id is read-only and cannot be changed.");
        }
    }
}
