using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Tests.Infrastructure;
using ScimBridge.Scim.Tests.Mapping;

namespace ScimBridge.Scim.Tests.Admin;

/// <summary>The JSON admin API behind the mapping and sync pages: same session, same checks, same operations.</summary>
public sealed class AdminApiTests(SyncConsoleFixture fixture) : IClassFixture<SyncConsoleFixture>
{
    private SyncConsoleFactory App => fixture.App;

    [Fact]
    public async Task The_api_shows_a_held_mapping_version_and_releases_it_as_the_page_does()
    {
        var slug = "api-" + Guid.NewGuid().ToString("N")[..6];
        var api = new ScimApi(await App.CreateOrganizationClientAsync(slug));
        var good = App.WriteMapping(slug + ".yaml", Mapping(slug, "Sales Admins"));
        await MappingFactory.EventuallyAsync(() => Task.FromResult(App.Store.For(slug)?.Version == good), "first version in force");
        var users = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            users.Add(ScimApi.Id(await api.CreateUserAsync($"user{i:00}@{slug}.example")));
        }

        await api.CreateGroupAsync("Sales Admins", [.. users]);
        var typo = App.WriteMapping(slug + ".yaml", Mapping(slug, "Sales Admin"));
        await MappingFactory.EventuallyAsync(() => Task.FromResult(App.Store.StatusFor(slug)?.Held is not null), "typo held");
        using var owner = await ConsoleSession.SignInAsync(App, slug, "owner@example.org");

        var status = await owner.Client.GetFromJsonAsync<JsonObject>("/admin/api/mapping");
        Assert.Equal(typo, (string?)status!["held"]!["version"]);
        Assert.Equal(12, (int)status["held"]!["impact"]!["usersLosingAccess"]!);
        Assert.Equal(12, status["preview"]!["users"]!.AsArray().Count(u => (bool)u!["losesAccess"]!));
        var released = await owner.Client.PostAsJsonAsync("/admin/api/mapping/release", new { version = typo });

        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        var body = await released.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True((bool)body!["pastTheGuard"]!);
        Assert.Empty(await MappingFactory.TeamsAsync(api, users[0]));
        var again = await owner.Client.PostAsJsonAsync("/admin/api/mapping/release", new { version = "0000" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task The_api_starts_a_dry_run_in_the_background_and_its_report_is_the_full_diff()
    {
        using var owner = await ConsoleSession.SignInAsync(App, "flow-dry", "api-owner@example.org");
        var sources = await owner.Client.GetFromJsonAsync<JsonArray>("/admin/api/sync/sources");
        Assert.Equal("dry", (string?)Assert.Single(sources!)!["name"]);

        var started = await owner.Client.PostAsJsonAsync("/admin/api/sync/sources/dry/dry-run", new { });

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        JsonObject? state = null;
        await Poll.UntilAsync(async () =>
        {
            state = await owner.Client.GetFromJsonAsync<JsonObject>(started.Headers.Location!.ToString());
            return (bool)state!["finished"]!;
        }, "the dry run to finish");
        Assert.Equal("DryRun", (string?)state!["run"]!["status"]);
        Assert.Contains("+ team Sales: adele as Admin", (string?)state["report"], StringComparison.OrdinalIgnoreCase);
        var runs = await owner.Client.GetFromJsonAsync<JsonObject>("/admin/api/sync/runs?source=dry");
        Assert.Contains(runs!["runs"]!.AsArray(), r => (long)r!["id"]! == (long)state["run"]!["id"]!);
    }

    [Fact]
    public async Task The_api_refuses_a_viewer_a_form_post_and_a_request_without_a_session()
    {
        using var owner = await ConsoleSession.SignInAsync(App, "flow-theirs", "api-owner@example.org");
        using var viewer = await ConsoleSession.SignInAsync(App, "flow-theirs", "api-viewer@example.org");
        await SetRoleAsync("flow-theirs", "api-viewer@example.org", OrganizationRole.Viewer);

        var read = await viewer.Client.GetAsync("/admin/api/sync/sources");
        var run = await viewer.Client.PostAsJsonAsync("/admin/api/sync/sources/theirs/run", new { });
        var form = await owner.Client.PostAsync("/admin/api/sync/sources/theirs/run", new FormUrlEncodedContent([]));
        var other = await owner.Client.PostAsJsonAsync("/admin/api/sync/sources/dry/run", new { });
        using var anonymous = ConsoleSession.Anonymous(App);
        var nobody = await anonymous.Client.GetAsync("/admin/api/sync/sources");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, run.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_admin_api_and_nothing_else()
    {
        using var anonymous = ConsoleSession.Anonymous(App);

        var document = await anonymous.Client.GetStringAsync("/admin/api/openapi/admin.json");

        Assert.Contains("\"/admin/api/mapping/release\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/admin/api/sync/sources/{name}/dry-run\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/admin/api/sync/runs/{id}/force\"", document, StringComparison.Ordinal);
        Assert.DoesNotContain("/scim/v2", document, StringComparison.Ordinal);
    }

    private async Task SetRoleAsync(string slug, string userName, OrganizationRole role)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organizationId = db.Organizations.Single(o => o.Slug == slug).Id;
        var normalized = userName.ToUpperInvariant();
        var user = db.Users.Single(u => u.OrganizationId == organizationId && u.NormalizedUserName == normalized);
        var context = new ProvisioningContext(organizationId, AuditActor.CommandLine("test"), ManagedBySources.Manual);
        await scope.ServiceProvider.GetRequiredService<OrganizationRoleProvisioning>().SetRoleAsync(user, role, context, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    private static string Mapping(string organization, string group) => $$"""
        organization: {{organization}}
        createMissingTeams: true
        rules:
          - group: { displayName: "{{group}}" }
            team: Sales
            role: ADMIN
        """;
}
