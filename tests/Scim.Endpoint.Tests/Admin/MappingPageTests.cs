using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Tests.Infrastructure;
using ScimBridge.Scim.Tests.Mapping;

namespace ScimBridge.Scim.Tests.Admin;

/// <summary>The mapping file page over HTTP: in force, held with its impact, released, rejected, previewed, and "why".</summary>
public sealed partial class MappingPageTests(MappingFactory factory) : IClassFixture<MappingFactory>
{
    private static string Slug(string name) => name + "-" + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task An_admin_sees_who_a_held_version_would_strip_releases_it_and_the_memberships_and_audit_follow()
    {
        var slug = Slug("held");
        var (api, users) = await HeldOrganizationAsync(slug, 12);
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");

        var (status, page) = await owner.GetAsync("/admin/mapping");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"held-reason\"", page, StringComparison.Ordinal);
        Assert.Contains("remove or downgrade mapped memberships or roles of 12 of 12 users", page, StringComparison.Ordinal);
        Assert.Contains("Who would lose access or be deactivated", page, StringComparison.Ordinal);
        Assert.Contains($"user00@{slug}.example", page, StringComparison.Ordinal);
        Assert.Contains("- Sales ADMIN", page, StringComparison.Ordinal);
        Assert.Contains("id=\"release\"", page, StringComparison.Ordinal);

        var released = await owner.PostFormAsync("/admin/mapping?handler=Release", page, [new("version", VersionShown(page))]);

        Assert.Equal(HttpStatusCode.Redirect, released.StatusCode);
        Assert.Empty(await MappingFactory.TeamsAsync(api, users[0]));
        Assert.Empty(await MappingFactory.TeamsAsync(api, users[11]));
        var (_, after) = await owner.GetAsync("/admin/mapping");
        Assert.Contains($"Released {slug}.yaml@", after, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"held-reason\"", after, StringComparison.Ordinal);
        Assert.Null(factory.Store.StatusFor(slug)!.Held);
        var (_, audit) = await owner.GetAsync("/admin/audit?action=mapping.released");
        Assert.Contains("admin:owner@example.org", audit, StringComparison.Ordinal);
        Assert.Contains("released in the admin console past the guard", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_release_of_a_version_the_person_did_not_see_is_refused()
    {
        var slug = Slug("stale");
        var (api, users) = await HeldOrganizationAsync(slug, 12);
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        var (_, page) = await owner.GetAsync("/admin/mapping");

        var response = await owner.PostFormAsync("/admin/mapping?handler=Release", page, [new("version", "0000")]);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("changed since the page was shown", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["Sales:ADMIN"], await MappingFactory.TeamsAsync(api, users[0]));
    }

    [Fact]
    public async Task A_viewer_sees_the_held_version_without_a_release_button_and_a_forged_release_gets_403()
    {
        var slug = Slug("viewer");
        var (api, users) = await HeldOrganizationAsync(slug, 12);
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        using var viewer = await ConsoleSession.SignInAsync(factory, slug, "viewer@example.org");
        await SetRoleAsync(slug, "viewer@example.org", OrganizationRole.Viewer);

        var (_, page) = await viewer.GetAsync("/admin/mapping");

        Assert.Contains("id=\"held-reason\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"release\"", page, StringComparison.Ordinal);
        var (_, ownerPage) = await owner.GetAsync("/admin/mapping");
        var forged = await viewer.PostFormAsync("/admin/mapping?handler=Release", page, [new("version", VersionShown(ownerPage))]);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(["Sales:ADMIN"], await MappingFactory.TeamsAsync(api, users[0]));
    }

    [Fact]
    public async Task A_rejected_file_shows_its_errors_with_file_line_and_column_and_the_previous_version_stays_in_force()
    {
        var slug = Slug("broken");
        await factory.CreateOrganizationClientAsync(slug);
        var good = factory.WriteMapping(slug + ".yaml", Mapping(slug, "Sales Admins"));
        await MappingFactory.EventuallyAsync(() => Task.FromResult(factory.Store.For(slug)?.Version == good), "first version in force");
        factory.WriteMapping(slug + ".yaml", $"organization: {slug}\nrules:\n  - group: {{ cn: sales }}\n    team: Sales\n");
        await MappingFactory.EventuallyAsync(() => Task.FromResult(factory.Store.StatusFor(slug)?.Errors.Count > 0), "file rejected");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");

        var (_, page) = await owner.GetAsync("/admin/mapping");

        Assert.Contains($"{slug}.yaml:3:5: rule 1: &#x27;role&#x27; is missing", page, StringComparison.Ordinal);
        Assert.Contains(good[..12], page, StringComparison.Ordinal);
        Assert.Contains("stays in force until it is fixed", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_why_lookup_names_the_rule_line_group_and_file_version_behind_a_role()
    {
        var slug = Slug("why");
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(slug));
        var version = factory.WriteMapping(slug + ".yaml", Mapping(slug, "Sales Admins"));
        await MappingFactory.EventuallyAsync(() => Task.FromResult(factory.Store.For(slug)?.Version == version), "version in force");
        var user = ScimApi.Id(await api.CreateUserAsync("ada.lovelace@why.example"));
        await api.CreateGroupAsync("Sales Admins", user);
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");

        var (_, page) = await owner.GetAsync("/admin/mapping?who=ADA.LOVE");

        Assert.Contains("id=\"why-teams\"", page, StringComparison.Ordinal);
        Assert.Contains("rule 1 (line 4:", page, StringComparison.Ordinal);
        Assert.Contains("Sales Admins", page, StringComparison.Ordinal);
        Assert.Contains($"{slug}.yaml@{version[..12]}", page, StringComparison.Ordinal);
        var (_, none) = await owner.GetAsync("/admin/mapping?who=nobody-at-all");
        Assert.Contains("id=\"why-none\"", none, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_never_sees_another_organizations_mapping_file()
    {
        var theirs = Slug("theirs");
        await HeldOrganizationAsync(theirs, 12);
        var mine = Slug("mine");
        using var owner = await ConsoleSession.SignInAsync(factory, mine, "owner@example.org");

        var (_, page) = await owner.GetAsync("/admin/mapping");

        Assert.DoesNotContain(theirs, page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"release\"", page, StringComparison.Ordinal);
        Assert.Contains("No mapping file is in force", page, StringComparison.Ordinal);
        var post = await owner.PostFormAsync("/admin/mapping?handler=Release", page, [new("version", factory.Store.CandidateFor(theirs)!.Version)]);
        Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
        Assert.NotNull(factory.Store.StatusFor(theirs)!.Held);
    }

    /// <summary>An organization whose users hold Sales through a mapping file, and a typo'd version that would strip them all, held.</summary>
    private async Task<(ScimApi Api, List<string> Users)> HeldOrganizationAsync(string slug, int count)
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(slug));
        var good = factory.WriteMapping(slug + ".yaml", Mapping(slug, "Sales Admins"));
        await MappingFactory.EventuallyAsync(() => Task.FromResult(factory.Store.For(slug)?.Version == good), "first version in force");
        var users = new List<string>();
        for (var i = 0; i < count; i++)
        {
            users.Add(ScimApi.Id(await api.CreateUserAsync($"user{i:00}@{slug}.example")));
        }

        await api.CreateGroupAsync("Sales Admins", [.. users]);
        factory.WriteMapping(slug + ".yaml", Mapping(slug, "Sales Admin"));
        await MappingFactory.EventuallyAsync(() => Task.FromResult(factory.Store.StatusFor(slug)?.Held is not null), "typo held");
        return (api, users);
    }

    private Task SetRoleAsync(string slug, string userName, OrganizationRole role) => ConsoleRoles.SetAsync(factory.Services, slug, userName, role);

    private static string VersionShown(string html) =>
        VersionField().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("No release form on the page.");

    private static string Mapping(string organization, string group) => $$"""
        organization: {{organization}}
        createMissingTeams: true
        rules:
          - group: { displayName: "{{group}}" }
            team: Sales
            role: ADMIN
        """;

    [GeneratedRegex("name=\"version\" value=\"([^\"]+)\"")]
    private static partial Regex VersionField();
}
