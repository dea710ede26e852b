using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Tests.Infrastructure;
using ScimBridge.Scim.Tests.Mapping;

namespace ScimBridge.Scim.Tests.Admin;

/// <summary>People using the console in a real browser, signed in through a real OpenID Connect provider.</summary>
public sealed partial class ConsoleBrowserTests(ConsoleBrowserFixture fixture) : IClassFixture<ConsoleBrowserFixture>
{
    private ConsoleAppFactory App => fixture.App;

    [Fact]
    public async Task An_admin_signs_in_through_the_provider_finds_one_user_among_10000_sees_why_they_have_a_role_and_deactivates_them()
    {
        var slug = "big-" + Guid.NewGuid().ToString("N")[..6];
        var api = new ScimApi(await App.CreateOrganizationClientAsync(slug, "okta"));
        App.WriteMapping(slug + ".yaml", $$"""
            organization: {{slug}}
            createMissingTeams: true
            rules:
              - group: { displayName: "Sales Admins" }
                team: Sales
                role: ADMIN
            """);
        await AddUsersAsync(slug, 10_000);
        var target = ScimApi.Id(await api.CreateUserAsync("zelda.quinn@big.example"));
        await api.CreateGroupAsync("Sales Admins", target);
        await MappingFactory.EventuallyAsync(async () => (await MappingFactory.TeamsAsync(api, target)).Contains("Sales:ADMIN"), "the mapped membership");
        await AddPersonAsync(slug, "alice", OrganizationRole.Admin);

        var page = await fixture.NewPersonAsync();
        await SignInThroughProviderAsync(page, "alice");
        await Expect(page.Locator(".role")).ToHaveTextAsync("Admin");

        await page.GetByLabel("Search name, e-mail or userName").FillAsync("ZELDA.Q");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#user-count")).ToHaveTextAsync("1 user");
        await page.GetByRole(AriaRole.Link, new() { Name = "zelda.quinn@big.example" }).ClickAsync();

        await Expect(page.Locator("#user-teams")).ToContainTextAsync("Sales");
        await Expect(page.Locator("#user-teams .why")).ToContainTextAsync("Sales Admins");
        await Expect(page.Locator("#managed-warning")).ToContainTextAsync("SCIM");
        await page.GetByText("Deactivate…").ClickAsync();
        await page.Locator("#deactivate").ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("Deactivated");
        await Expect(page.Locator("#state")).ToContainTextAsync("deactivated");

        var scim = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{target}"));
        Assert.False((bool)scim["active"]!);

        await page.GotoAsync("/admin/audit?action=user.deactivated");
        await Expect(page.Locator("table.audit tbody tr").First.Locator(".actor")).ToHaveTextAsync($"admin:alice@{slug}.example");
        await page.GotoAsync("/admin/audit?actor=admin:alice");
        await Expect(page.Locator("table.audit")).ToContainTextAsync("admin.signed-in");
    }

    [Fact]
    public async Task A_viewer_sees_no_action_buttons_and_a_forged_post_gets_403()
    {
        var slug = "view-" + Guid.NewGuid().ToString("N")[..6];
        var api = new ScimApi(await App.CreateOrganizationClientAsync(slug));
        var target = ScimApi.Id(await api.CreateUserAsync("target@view.example"));
        await AddPersonAsync(slug, "victor", OrganizationRole.Viewer);

        var page = await fixture.NewPersonAsync();
        await SignInThroughProviderAsync(page, "victor");
        await page.GotoAsync($"/admin/users/{target}");

        await Expect(page.Locator(".role")).ToHaveTextAsync("Viewer");
        Assert.Equal(0, await page.Locator("main form").CountAsync());
        Assert.Equal(0, await page.Locator("main button").CountAsync());
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
        var forged = await page.Context.APIRequest.PostAsync($"/admin/users/{target}?handler=Deactivate", new()
        {
            Form = FormWith(page, token),
            MaxRedirects = 0,
        });
        Assert.Equal(403, forged.Status);
        Assert.True((bool)(await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{target}")))["active"]!);
    }

    [Fact]
    public async Task A_cross_site_post_without_the_antiforgery_token_changes_nothing()
    {
        var slug = "csrf-" + Guid.NewGuid().ToString("N")[..6];
        var api = new ScimApi(await App.CreateOrganizationClientAsync(slug));
        var target = ScimApi.Id(await api.CreateUserAsync("victim@csrf.example"));
        await AddPersonAsync(slug, "carol", OrganizationRole.Owner);
        var page = await fixture.NewPersonAsync();
        await SignInThroughProviderAsync(page, "carol");

        // A page elsewhere submits a form to the console, as an attacker's site would.
        var attacker = await page.Context.NewPageAsync();
        await attacker.SetContentAsync($"""<form method="post" action="{fixture.BaseUrl}/admin/users/{target}?handler=Deactivate"><button id="go">win a prize</button></form>""");
        var response = await attacker.RunAndWaitForResponseAsync(() => attacker.Locator("#go").ClickAsync(),
            r => r.Url.Contains("handler=Deactivate", StringComparison.Ordinal));

        Assert.NotEqual(200, response.Status);
        Assert.True((bool)(await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{target}")))["active"]!);

        // Even from the console's own origin, a POST without the token is refused.
        var sameSite = await page.Context.APIRequest.PostAsync($"/admin/users/{target}?handler=Deactivate", new() { Form = page.Context.APIRequest.CreateFormData(), MaxRedirects = 0 });
        Assert.Equal(400, sameSite.Status);
        Assert.True((bool)(await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{target}")))["active"]!);
    }

    [Fact]
    public async Task An_admin_never_sees_another_organizations_data_even_by_editing_ids_in_the_url()
    {
        var mine = "mine-" + Guid.NewGuid().ToString("N")[..6];
        var theirs = "theirs-" + Guid.NewGuid().ToString("N")[..6];
        await App.CreateOrganizationClientAsync(mine);
        var theirApi = new ScimApi(await App.CreateOrganizationClientAsync(theirs));
        var secret = ScimApi.Id(await theirApi.CreateUserAsync("hidden.person@theirs.example"));
        await AddPersonAsync(mine, "dave", OrganizationRole.Owner);
        var page = await fixture.NewPersonAsync();
        await SignInThroughProviderAsync(page, "dave");

        await page.GotoAsync("/admin/users?q=hidden");
        await Expect(page.Locator("#user-count")).ToHaveTextAsync("0 users");
        var response = await page.GotoAsync($"/admin/users/{secret}");
        Assert.Equal(404, response!.Status);
        await page.GotoAsync($"/admin/audit?target={secret}");
        await Expect(page.Locator("main")).ToContainTextAsync("No entries.");
    }

    [Fact]
    public async Task A_one_time_link_works_once_and_never_twice()
    {
        var slug = "link-" + Guid.NewGuid().ToString("N")[..6];
        var link = await ConsoleSession.LoginLinkAsync(App, slug, "founder@link.example");
        var path = new Uri(link.ToString()).PathAndQuery;

        var page = await fixture.NewPersonAsync();
        await page.GotoAsync(path);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(UsersPage());
        await Expect(page.Locator(".role")).ToHaveTextAsync("Owner");

        var other = await fixture.NewPersonAsync();
        await other.GotoAsync(path);
        await Expect(other.Locator("#reason")).ToContainTextAsync("used already");
    }

    [Fact]
    public async Task A_person_the_directory_does_not_know_gets_a_clear_refusal()
    {
        fixture.Provider.Add(new ProviderUser("mallory", "mallory-sub", "mallory@nowhere.example", EmailVerified: false, "Mallory"));
        var page = await fixture.NewPersonAsync();

        await SignInThroughProviderAsync(page, "mallory", expectConsole: false);

        await Expect(page.Locator("h1")).ToHaveTextAsync("You cannot use the console");
        await Expect(page.Locator("#reason")).ToContainTextAsync("verified");
    }

    [Fact]
    public async Task A_platform_superuser_chooses_any_organization_and_acts_as_its_owner()
    {
        var slug = "super-" + Guid.NewGuid().ToString("N")[..6];
        var api = new ScimApi(await App.CreateOrganizationClientAsync(slug));
        await api.CreateUserAsync("someone@super.example");
        fixture.Provider.Add(new ProviderUser("root", "root-sub", "root@platform.example", EmailVerified: true, "Root"));
        var page = await fixture.NewPersonAsync();

        await page.GotoAsync("/admin/users");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Test IdP" }).ClickAsync();
        await page.Locator("#login").FillAsync("root");
        await page.Locator("#idp-sign-in").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Choose an organization");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Enter {slug}" }).ClickAsync();

        await Expect(page.Locator(".role")).ToHaveTextAsync("Owner");
        await Expect(page.Locator("#users")).ToContainTextAsync("someone@super.example");
    }

    [Fact]
    public async Task A_member_without_a_console_role_is_refused_with_a_page_saying_why()
    {
        var slug = "member-" + Guid.NewGuid().ToString("N")[..6];
        await App.CreateOrganizationClientAsync(slug);
        await AddPersonAsync(slug, "mia", OrganizationRole.Member);
        var page = await fixture.NewPersonAsync();

        await SignInThroughProviderAsync(page, "mia", expectConsole: false);

        await Expect(page.Locator("h1")).ToHaveTextAsync("You cannot use the console");
        await Expect(page.Locator("#reason")).ToContainTextAsync("organization role");
    }

    private static IFormData FormWith(IPage page, string token)
    {
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", token);
        return form;
    }

    private static async Task SignInThroughProviderAsync(IPage page, string login, bool expectConsole = true)
    {
        await page.GotoAsync("/admin/users");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Test IdP" }).ClickAsync();
        await page.Locator("#login").FillAsync(login);
        await page.Locator("#idp-sign-in").ClickAsync();
        if (expectConsole)
        {
            await Expect(page.Locator("h1")).ToHaveTextAsync("Users");
        }
    }

    /// <summary>A directory user of the organization whom the provider knows by <paramref name="login"/> (sub = externalId).</summary>
    private async Task AddPersonAsync(string slug, string login, OrganizationRole role)
    {
        var email = $"{login}@{slug}.example";
        fixture.Provider.Add(new ProviderUser(login, $"{login}-{slug}-sub", email, EmailVerified: true, login));
        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<ScimBridgeDbContext>();
        var organizationId = db.Organizations.Single(o => o.Slug == slug).Id;
        var context = new ProvisioningContext(organizationId, AuditActor.CommandLine("test"), ManagedBySources.Manual);
        var user = await services.GetRequiredService<UserProvisioning>().CreateAsync(new UserProfile
        {
            UserName = email,
            ExternalId = $"{login}-{slug}-sub",
            Emails = [new EmailAddress(email, "work", true, null)],
        }, context, CancellationToken.None);
        await services.GetRequiredService<OrganizationRoleProvisioning>().SetRoleAsync(user, role, context, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    private async Task AddUsersAsync(string slug, int count)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<ScimBridgeDbContext>();
        var organizationId = db.Organizations.Single(o => o.Slug == slug).Id;
        var context = new ProvisioningContext(organizationId, AuditActor.CommandLine("test"), ManagedBySources.Manual);
        var users = services.GetRequiredService<UserProvisioning>();
        for (var i = 0; i < count; i++)
        {
            await users.CreateAsync(new UserProfile
            {
                UserName = $"person{i:D5}@big.example",
                Name = new PersonName($"Given{i}", $"Family{i}"),
                Emails = [new EmailAddress($"person{i:D5}@big.example", "work", true, null)],
            }, context, CancellationToken.None);
        }

        await db.SaveChangesAsync();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);

    [GeneratedRegex("/admin/users$")]
    private static partial Regex UsersPage();
}
