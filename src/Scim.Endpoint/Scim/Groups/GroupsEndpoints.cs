using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Scim.Auth;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Options;
using ScimBridge.Scim.Patch;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Groups;

/// <summary>The <c>/Groups</c> resource. Member changes go through <see cref="GroupProvisioning"/> on the named members only.</summary>
public static class GroupsEndpoints
{
    public static RouteGroupBuilder MapGroups(this RouteGroupBuilder scim)
    {
        var groups = scim.MapGroup("/Groups");
        groups.MapPost("", CreateAsync);
        groups.MapGet("", ListAsync);
        groups.MapPost("/.search", SearchAsync);
        groups.MapGet("/{id}", GetAsync);
        groups.MapPut("/{id}", ReplaceAsync);
        groups.MapPatch("/{id}", PatchAsync);
        groups.MapDelete("/{id}", DeleteAsync);
        return scim;
    }

    public static async Task<IResult> CreateAsync(
        HttpContext http, ScimBridgeDbContext db, GroupProvisioning provisioning, MembershipProvisioning memberships, CancellationToken ct)
    {
        var tenant = ScimTenant.From(http.User);
        var body = await ScimRequestBody.ReadObjectAsync(http, ct);
        ScimGroupMapping.CheckValues(ScimGroupMapping.DisplayName(body), ScimNode.String(body, "externalId"), ScimRequestBody.Options(http).ValueLimits());
        var group = provisioning.Create(ScimGroupMapping.DisplayName(body), ScimNode.String(body, "externalId"), tenant.Provisioning);
        await provisioning.AddMembersAsync(group, ScimGroupMapping.MemberIds(ScimNode.Get(body, "members")), tenant.Provisioning, ct);
        await provisioning.SaveAsync(tenant.Provisioning, memberships, ct);
        return await RespondAsync(http, db, group, StatusCodes.Status201Created, ct);
    }

    public static async Task<IResult> GetAsync(string id, HttpContext http, ScimBridgeDbContext db, CancellationToken ct)
    {
        var tenant = ScimTenant.From(http.User);
        var group = await FindAsync(db.Groups.AsNoTracking(), tenant.OrganizationId, id, ct);
        if (ScimVersion.NotModified(http.Request, group.Version))
        {
            return new ScimEmptyResult(StatusCodes.Status304NotModified, ScimVersion.ETag(group.Version));
        }

        return await RespondAsync(http, db, group, StatusCodes.Status200OK, ct);
    }

    public static async Task<IResult> ListAsync(HttpContext http, ScimBridgeDbContext db, IOptions<ScimOptions> options, CancellationToken ct)
    {
        var query = ScimListQuery.FromQueryString(http.Request, options.Value);
        return await GroupSearch.RespondAsync(http, db, query, ct);
    }

    public static async Task<IResult> SearchAsync(HttpContext http, ScimBridgeDbContext db, IOptions<ScimOptions> options, CancellationToken ct)
    {
        var query = ScimListQuery.FromSearchRequest(await ScimRequestBody.ReadObjectAsync(http, ct), options.Value);
        return await GroupSearch.RespondAsync(http, db, query, ct);
    }

    public static async Task<IResult> ReplaceAsync(
        string id, HttpContext http, ScimBridgeDbContext db, GroupProvisioning provisioning, MembershipProvisioning memberships, CancellationToken ct)
    {
        var tenant = ScimTenant.From(http.User);
        JsonObject? body = null;
        return await provisioning.RetryOnConflictAsync(async () =>
        {
            var group = await FindAsync(db.Groups, tenant.OrganizationId, id, ct);
            ScimVersion.RequireMatch(http.Request, group.Version);
            body ??= await ScimRequestBody.ReadObjectAsync(http, ct);
            if (ScimNode.String(body, "id") is { } bodyId && !string.Equals(bodyId, group.Id.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                throw ScimException.Mutability("id is read-only and cannot be changed.");
            }

            ScimGroupMapping.CheckValues(ScimGroupMapping.DisplayName(body), ScimNode.String(body, "externalId"), ScimRequestBody.Options(http).ValueLimits());
            provisioning.Update(group, ScimGroupMapping.DisplayName(body), ScimNode.String(body, "externalId"), tenant.Provisioning);

            // Members left out of a PUT are kept: a client that omits them asserts nothing about them.
            if (ScimNode.Get(body, "members") is { } members)
            {
                await provisioning.ReplaceMembersAsync(group, ScimGroupMapping.MemberIds(members), tenant.Provisioning, ct);
            }

            await provisioning.SaveAsync(tenant.Provisioning, memberships, ct);
            return await RespondAsync(http, db, group, StatusCodes.Status200OK, ct);
        }, ct);
    }

    public static async Task<IResult> PatchAsync(
        string id, HttpContext http, ScimBridgeDbContext db, GroupProvisioning provisioning, MembershipProvisioning memberships, CancellationToken ct)
    {
        var tenant = ScimTenant.From(http.User);
        PatchRequest? patch = null;

        // Applied to the group as it is when the write lands: concurrent member changes all count, repeats are no-ops.
        var group = await provisioning.RetryOnConflictAsync(async () =>
        {
            var current = await FindAsync(db.Groups, tenant.OrganizationId, id, ct);
            ScimVersion.RequireMatch(http.Request, current.Version);
            patch ??= PatchRequest.Parse(await ScimRequestBody.ReadObjectAsync(http, ct), ScimRequestBody.Options(http).ParseLimits());
            await GroupPatcher.ApplyAsync(current, patch, provisioning, tenant.Provisioning, ct, ScimRequestBody.Options(http).ValueLimits());
            await provisioning.SaveAsync(tenant.Provisioning, memberships, ct);
            return current;
        }, ct);

        // Returning a large group's members after a member change would undo the point of touching only those members.
        var query = http.Request.Query;
        if (query.ContainsKey("attributes") || query.ContainsKey("excludedAttributes"))
        {
            return await RespondAsync(http, db, group, StatusCodes.Status200OK, ct);
        }

        return new ScimEmptyResult(StatusCodes.Status204NoContent, ScimVersion.ETag(group.Version));
    }

    public static async Task<IResult> DeleteAsync(
        string id, HttpContext http, ScimBridgeDbContext db, GroupProvisioning provisioning, MembershipProvisioning memberships, CancellationToken ct)
    {
        var tenant = ScimTenant.From(http.User);
        return await provisioning.RetryOnConflictAsync<IResult>(async () =>
        {
            var group = await FindAsync(db.Groups, tenant.OrganizationId, id, ct);
            ScimVersion.RequireMatch(http.Request, group.Version);
            provisioning.Delete(group, tenant.Provisioning);
            await provisioning.SaveAsync(tenant.Provisioning, memberships, ct);
            return new ScimEmptyResult(StatusCodes.Status204NoContent);
        }, ct);
    }

    public static async Task<DirectoryGroup> FindAsync(IQueryable<DirectoryGroup> groups, Guid organizationId, string id, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var groupId))
        {
            throw ScimException.NotFound($"Group '{id}' not found.");
        }

        return await groups.LiveIn(organizationId).FirstOrDefaultAsync(g => g.Id == groupId, ct)
            ?? throw ScimException.NotFound($"Group '{id}' not found.");
    }

    private static async Task<IResult> RespondAsync(HttpContext http, ScimBridgeDbContext db, DirectoryGroup group, int status, CancellationToken ct)
    {
        var selection = ScimAttributeSelection.Parse(http.Request.Query["attributes"], http.Request.Query["excludedAttributes"]);
        var members = selection.Returns("members")
            ? (await GroupMemberView.LoadAsync(db, group.OrganizationId, [group.Id], ct))[group.Id]
            : null;
        var urls = ScimUrls.For(http.Request);
        var json = selection.Apply(ScimGroupMapping.ToScim(group, members, urls));
        return new ScimJsonResult(status, json, ScimVersion.ETag(group.Version),
            status == StatusCodes.Status201Created ? urls.Groups + group.Id : null);
    }
}
