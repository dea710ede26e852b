using System.Net;
using ScimBridge.Model.Organizations;
using ScimBridge.Scim.Tests.Infrastructure;
using ScimBridge.Scim.Tests.Mapping;

namespace ScimBridge.Scim.Tests.Admin;

/// <summary>The console with a real slapd behind a configured sync source (<c>corp</c> → organization <c>flow-browser</c>).</summary>
public sealed class SyncBrowserFixture : ConsoleBrowserFixture
{
    public const string Organization = "flow-browser";

    private SlapdServer? _slapd;

    protected override async Task<IDictionary<string, string?>> StartServersAsync()
    {
        _slapd = await SlapdServer.StartAsync();
        LdapDirectory.AddSuffix(_slapd);
        var directory = LdapDirectory.Create(_slapd, "browser");
        var adele = directory.AddUser("adele");
        var alex = directory.AddUser("alex");
        directory.AddUser("diego");
        directory.AddGroup("sales", adele, alex);
        directory.AddGroup("leads", adele);
        return directory.Source(0, "corp", Organization);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _slapd?.Dispose();
    }
}

/// <summary>Mapping files and directory sync in a real browser, signed in through the OpenID Connect provider.</summary>
public sealed class ConsoleFlowBrowserTests(SyncBrowserFixture fixture) : IClassFixture<SyncBrowserFixture>
{
    private ConsoleAppFactory App => fixture.App;

    [Fact]
    public async Task An_admin_releases_a_held_mapping_version_the_memberships_change_and_the_audit_page_names_them()
    {
        var slug = "held-" + Guid.NewGuid().ToString("N")[..6];
        var api = new ScimApi(await App.CreateOrganizationClientAsync(slug, "okta"));
        var good = App.WriteMapping(slug + ".yaml", Mapping(slug, "Sales Admins"));
        await MappingFactory.EventuallyAsync(() => Task.FromResult(App.Store.For(slug)?.Version == good), "first version in force");
        var users = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            users.Add(ScimApi.Id(await api.CreateUserAsync($"seller{i:00}@{slug}.example")));
        }

        await api.CreateGroupAsync("Sales Admins", [.. users]);
        App.WriteMapping(slug + ".yaml", Mapping(slug, "Sales Admin"));
        await MappingFactory.EventuallyAsync(() => Task.FromResult(App.Store.StatusFor(slug)?.Held is not null), "typo held");
        await ConsolePeople.AddAsync(fixture, slug, "hanna", OrganizationRole.Admin);

        var page = await fixture.NewPersonAsync();
        await ConsolePeople.SignInAsync(page, "hanna");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Mapping file" }).ClickAsync();
        await Expect(page.Locator("#held-reason")).ToContainTextAsync("12 of 12 users");
        await Expect(page.Locator("#losing")).ToContainTextAsync($"seller00@{slug}.example");
        await Expect(page.Locator("#losing")).ToContainTextAsync("- Sales ADMIN");
        await page.GetByText("Release…").ClickAsync();
        await page.Locator("#release").ClickAsync();

        await Expect(page.Locator(".notice")).ToContainTextAsync("Released");
        await Expect(page.Locator("#version-in-force")).ToContainTextAsync(App.Store.For(slug)!.ShortVersion);
        Assert.Empty(await MappingFactory.TeamsAsync(api, users[0]));
        Assert.Empty(await MappingFactory.TeamsAsync(api, users[11]));

        await page.GotoAsync("/admin/audit?action=mapping.released");
        await Expect(page.Locator("table.audit tbody tr").First.Locator(".actor")).ToHaveTextAsync($"admin:hanna@{slug}.example");
    }

    [Fact]
    public async Task An_admin_runs_a_dry_run_against_slapd_reads_its_diff_and_the_audit_page_names_them()
    {
        const string slug = SyncBrowserFixture.Organization;
        await App.CreateOrganizationClientAsync(slug);
        App.WriteMapping(slug + ".yaml", SyncConsoleFixture.Mapping(slug));
        await ConsolePeople.AddAsync(fixture, slug, "sam", OrganizationRole.Admin);

        var page = await fixture.NewPersonAsync();
        await ConsolePeople.SignInAsync(page, "sam");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Directory sync" }).ClickAsync();
        await Expect(page.Locator("#sync-sources")).ToContainTextAsync("corp");
        await page.Locator("#test-corp").ClickAsync();
        await Expect(page.Locator("#test-result")).ToContainTextAsync("3 users");
        await page.Locator("#dry-run-corp").ClickAsync();

        await Expect(page.Locator("#run-report")).ToContainTextAsync("Dry run of 'corp'");
        await Expect(page.Locator("#run-report")).ToContainTextAsync("adele");
        await Expect(page.Locator("#run-report")).ToContainTextAsync("diego");
        var report = await page.Locator("#run-report").InnerTextAsync();
        Assert.Contains("+ team Sales: adele as Admin", report, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("+ team Sales: alex as Member", report, StringComparison.OrdinalIgnoreCase);
        await page.Locator("#run-link").ClickAsync();
        await Expect(page.Locator("#run-status")).ToHaveTextAsync("DryRun");

        await page.GotoAsync("/admin/audit?action=sync.");
        await Expect(page.Locator("table.audit tbody tr").First.Locator(".actor")).ToHaveTextAsync($"admin:sam@{slug}.example");
        await Expect(page.Locator("table.audit tbody tr").First).ToContainTextAsync("dry-run started in the admin console");
    }

    [Fact]
    public async Task A_viewer_sees_no_release_and_no_run_buttons()
    {
        const string slug = SyncBrowserFixture.Organization;
        await App.CreateOrganizationClientAsync(slug);
        App.WriteMapping(slug + ".yaml", SyncConsoleFixture.Mapping(slug));
        await ConsolePeople.AddAsync(fixture, slug, "vera", OrganizationRole.Viewer);

        var page = await fixture.NewPersonAsync();
        await ConsolePeople.SignInAsync(page, "vera");
        await page.GotoAsync("/admin/sync");
        await Expect(page.Locator("#sync-sources")).ToContainTextAsync("corp");
        Assert.Equal(0, await page.Locator("main button").CountAsync());
        await page.GotoAsync("/admin/mapping");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mapping file");
        Assert.Equal(0, await page.Locator("#release").CountAsync());
        Assert.Equal(0, await page.Locator("main form[method=post]").CountAsync());
        var response = await page.GotoAsync("/admin/sync/runs/999999");
        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
    }

    private static string Mapping(string organization, string group) => $$"""
        organization: {{organization}}
        createMissingTeams: true
        rules:
          - group: { displayName: "{{group}}" }
            team: Sales
            role: ADMIN
        """;

    private static Microsoft.Playwright.ILocatorAssertions Expect(Microsoft.Playwright.ILocator locator) => Microsoft.Playwright.Assertions.Expect(locator);
}
