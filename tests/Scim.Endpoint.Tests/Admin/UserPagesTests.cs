using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Teams;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Admin;

public sealed class UserPagesTests(ScimBridgeFactory factory) : IClassFixture<ScimBridgeFactory>
{
    private static string Slug(string name) => name + "-" + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task An_admin_finds_a_user_by_email_prefix_deactivates_them_and_SCIM_then_shows_them_inactive()
    {
        var slug = Slug("deact");
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(slug, "okta"));
        var userId = ScimApi.Id(await api.CreateUserAsync("Zelda.Quinn@example.org"));
        await api.CreateUserAsync("someone.else@example.org");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");

        var (_, list) = await owner.GetAsync("/admin/users?q=zelda.q");
        Assert.Contains("1 user<", list, StringComparison.Ordinal);
        Assert.Contains($"/admin/users/{userId}", list, StringComparison.Ordinal);

        var (status, page) = await owner.GetAsync($"/admin/users/{userId}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"managed-warning\"", page, StringComparison.Ordinal);
        var response = await owner.PostFormAsync($"/admin/users/{userId}?handler=Deactivate", page, []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var scim = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{userId}"));
        Assert.False((bool)scim["active"]!);
        var (_, audit) = await owner.GetAsync($"/admin/audit?target={userId}&action=user.deactivated");
        Assert.Contains("admin:owner@example.org", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_sees_no_action_buttons_and_a_forged_post_is_refused()
    {
        var slug = Slug("viewer");
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(slug));
        var targetId = ScimApi.Id(await api.CreateUserAsync("target@example.org"));
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        using var viewer = await ConsoleSession.SignInAsync(factory, slug, "viewer@example.org");
        var viewerId = await UserIdAsync(slug, "viewer@example.org");
        var (_, ownerPage) = await owner.GetAsync($"/admin/users/{viewerId}");
        var demoted = await owner.PostFormAsync($"/admin/users/{viewerId}?handler=SetRole", ownerPage, [new("role", "Viewer")]);
        Assert.Equal(HttpStatusCode.Redirect, demoted.StatusCode);

        var (status, page) = await viewer.GetAsync($"/admin/users/{targetId}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-role=\"Viewer\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"deactivate\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"set-membership\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"set-role\"", page, StringComparison.Ordinal);

        // The sign-out form gives the viewer a valid antiforgery token; the role still refuses the change.
        var forged = await viewer.PostFormAsync($"/admin/users/{targetId}?handler=Deactivate", page, []);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        var scim = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{targetId}"));
        Assert.True((bool)scim["active"]!);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        var slug = Slug("csrf");
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(slug));
        var userId = ScimApi.Id(await api.CreateUserAsync("victim@example.org"));
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");

        var response = await owner.Client.PostAsync($"/admin/users/{userId}?handler=Deactivate", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var scim = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{userId}"));
        Assert.True((bool)scim["active"]!);
    }

    [Fact]
    public async Task An_admin_of_one_organization_never_sees_another_organizations_users_even_by_id()
    {
        var mine = Slug("mine");
        var theirs = Slug("theirs");
        await factory.CreateOrganizationClientAsync(mine);
        var theirApi = new ScimApi(await factory.CreateOrganizationClientAsync(theirs));
        var theirUser = ScimApi.Id(await theirApi.CreateUserAsync("secret.person@theirs.example"));
        using var owner = await ConsoleSession.SignInAsync(factory, mine, "owner@mine.example");

        var (_, list) = await owner.GetAsync("/admin/users?q=secret");
        Assert.DoesNotContain("secret.person", list, StringComparison.Ordinal);
        var (status, _) = await owner.GetAsync($"/admin/users/{theirUser}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        var (_, page) = await owner.GetAsync("/admin/users");
        var post = await owner.PostFormAsync($"/admin/users/{theirUser}?handler=Deactivate", page, []);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        var (_, audit) = await owner.GetAsync($"/admin/audit?target={theirUser}");
        Assert.Contains("No entries.", audit, StringComparison.Ordinal);
        var theirEntry = await FirstAuditEntryIdAsync(theirs);
        var (entryStatus, _) = await owner.GetAsync($"/admin/audit/{theirEntry}");
        Assert.Equal(HttpStatusCode.NotFound, entryStatus);
        Assert.True((bool)(await theirApi.ExpectAsync(HttpStatusCode.OK, theirApi.GetAsync($"/Users/{theirUser}")))["active"]!);
    }

    [Fact]
    public async Task A_hand_set_membership_shows_who_set_it_and_can_be_removed()
    {
        var slug = Slug("teams");
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(slug));
        var userId = ScimApi.Id(await api.CreateUserAsync("member@example.org"));
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        var teamId = await CreateTeamAsync(slug, "Support");

        var (_, page) = await owner.GetAsync($"/admin/users/{userId}");
        var set = await owner.PostFormAsync($"/admin/users/{userId}?handler=SetMembership", page, [new("teamId", teamId.ToString()), new("role", "Admin")]);
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        var (_, after) = await owner.GetAsync($"/admin/users/{userId}");
        Assert.Contains("set by hand by admin:owner@example.org", after, StringComparison.Ordinal);
        var scim = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{userId}"));
        Assert.Contains("\"ADMIN\"", scim.ToJsonString(), StringComparison.Ordinal);

        var removed = await owner.PostFormAsync($"/admin/users/{userId}?handler=RemoveMembership", after, [new("teamId", teamId.ToString())]);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        var (_, final) = await owner.GetAsync($"/admin/users/{userId}");
        Assert.Contains("In no team.", final, StringComparison.Ordinal);
        Assert.Contains("membership.removed", final, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_owner_cannot_give_up_the_role()
    {
        var slug = Slug("owner");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "only@example.org");
        var ownerId = await UserIdAsync(slug, "only@example.org");
        var (_, page) = await owner.GetAsync($"/admin/users/{ownerId}");

        var response = await owner.PostFormAsync($"/admin/users/{ownerId}?handler=SetRole", page, [new("role", "Admin")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("last Owner", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broad_search_finds_the_same_users_in_the_same_order_as_a_narrow_one()
    {
        // A search that matches many users tests each user of the organization instead of uniting the matches of each
        // field (UserSearch.BroadSearchMatches); both ways must find the same users, whichever field matched.
        var slug = Slug("broad");
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(slug));
        await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users", """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@example.org",
             "name":{"givenName":"Mara","familyName":"Stone"},"displayName":"Ann Stone","emails":[{"value":"mara.s@example.org","primary":true}]}
            """));
        await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users", """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bo@example.org",
             "name":{"givenName":"Stone","familyName":"Berg"},"emails":[{"value":"ma.berg@example.org"}]}
            """));
        await api.CreateUserAsync("stonewall@example.org");
        await api.CreateUserAsync("other@example.org");
        var deleted = ScimApi.Id(await api.CreateUserAsync("stone.deleted@example.org"));
        await api.ExpectAsync(HttpStatusCode.NoContent, api.SendAsync(HttpMethod.Delete, $"/Users/{deleted}"));
        await using var scope = factory.Services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<Scim.Admin.Users.UserSearch>();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organizationId = db.Organizations.Single(o => o.Slug == slug).Id;

        foreach (var text in new[] { "stone", "MA", "ann", "mara.s", "b", "nobody", "" })
        {
            var query = new Scim.Admin.Users.UserQuery(text, null, null, null, "userName", false, 1, 50);
            var united = search.Filter(organizationId, query, broad: false).OrderBy(u => u.NormalizedUserName).Select(u => u.UserName).ToList();
            var tested = search.Filter(organizationId, query, broad: true).OrderBy(u => u.NormalizedUserName).Select(u => u.UserName).ToList();
            Assert.Equal(united, tested);
        }

        var stone = search.Filter(organizationId, new Scim.Admin.Users.UserQuery("stone", null, null, null, "userName", false, 1, 50), broad: true)
            .OrderBy(u => u.NormalizedUserName).Select(u => u.UserName).ToList();
        Assert.Equal(["ann@example.org", "bo@example.org", "stonewall@example.org"], stone);
    }

    private async Task<Guid> UserIdAsync(string slug, string userName)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organizationId = db.Organizations.Single(o => o.Slug == slug).Id;
        var normalized = userName.ToUpperInvariant();
        return db.Users.Single(u => u.OrganizationId == organizationId && u.NormalizedUserName == normalized).Id;
    }

    private async Task<long> FirstAuditEntryIdAsync(string slug)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organizationId = db.Organizations.Single(o => o.Slug == slug).Id;
        return db.AuditEntries.Where(a => a.OrganizationId == organizationId).Min(a => a.Id);
    }

    private async Task<Guid> CreateTeamAsync(string slug, string name)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var team = new Team { OrganizationId = db.Organizations.Single(o => o.Slug == slug).Id, CreatedAt = DateTimeOffset.UnixEpoch };
        team.Rename(name);
        db.Teams.Add(team);
        await db.SaveChangesAsync();
        return team.Id;
    }
}
