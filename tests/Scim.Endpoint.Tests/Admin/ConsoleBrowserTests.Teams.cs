using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Tests.Admin;

/// <summary>Teams in the browser: an admin's path through the team pages, a viewer's, and another organization's.</summary>
public sealed partial class ConsoleBrowserTests
{
    [Fact]
    public async Task An_admin_creates_a_team_with_two_base_numbers_sees_them_and_the_audit_log_names_the_person()
    {
        var slug = "team-" + Guid.NewGuid().ToString("N")[..6];
        await App.CreateOrganizationClientAsync(slug);
        await AddPersonAsync(slug, "tina", OrganizationRole.Admin);
        var page = await fixture.NewPersonAsync();
        await SignInThroughProviderAsync(page, "tina");

        // The organization's numbers first, as typed by a person; then the team takes two of the three.
        await page.GetByRole(AriaRole.Link, new() { Name = "Numbers", Exact = true }).ClickAsync();
        await page.Locator("#numbers-to-add").FillAsync("+49 30 1234567\n+44 20 7946 0000\n+33 1 23 45 67 89");
        await page.Locator("#add-numbers-button").ClickAsync();
        await Expect(page.Locator("#number-list")).ToContainTextAsync("+442079460000");

        await page.GetByRole(AriaRole.Link, new() { Name = "Teams", Exact = true }).ClickAsync();
        await page.Locator("#new-team").ClickAsync();
        await page.Locator("#team-name").FillAsync("Sales EMEA");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "+49301234567" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "+442079460000" }).CheckAsync();
        await page.Locator("#notifications").FillAsync("""{"recipients": ["ops@example.org"]""");
        await page.Locator("#create-team").ClickAsync();
        await Expect(page.Locator("#error-NotificationsJson")).ToContainTextAsync("not valid JSON");

        await page.Locator("#notifications").FillAsync("""{"recipients": ["ops@example.org"]}""");
        await page.Locator("#create-team").ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("Team 'Sales EMEA' created");
        await Expect(page.Locator("#base-numbers-list")).ToHaveTextAsync("+442079460000, +49301234567");

        await page.GotoAsync("/admin/teams");
        await Expect(page.Locator("#teams")).ToContainTextAsync("+442079460000, +49301234567");
        await page.GotoAsync("/admin/audit?action=team.created");
        await Expect(page.Locator("table.audit tbody tr").First.Locator(".actor")).ToHaveTextAsync($"admin:tina@{slug}.example");
    }

    [Fact]
    public async Task A_viewer_sees_teams_but_no_buttons_to_change_them()
    {
        var slug = "tview-" + Guid.NewGuid().ToString("N")[..6];
        await App.CreateOrganizationClientAsync(slug);
        var teamId = await CreateTeamAsync(slug, "Viewable");
        await AddPersonAsync(slug, "vera", OrganizationRole.Viewer);
        var page = await fixture.NewPersonAsync();
        await SignInThroughProviderAsync(page, "vera");

        await page.GotoAsync("/admin/teams");
        await Expect(page.Locator("#teams")).ToContainTextAsync("Viewable");
        Assert.Equal(0, await page.Locator("#new-team").CountAsync());
        await page.GotoAsync($"/admin/teams/{teamId}");
        await Expect(page.Locator("#team-name")).ToHaveTextAsync("Viewable");
        Assert.Equal(0, await page.Locator("main form").CountAsync());
        Assert.Equal(0, await page.Locator("main button").CountAsync());
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
        var forged = await page.Context.APIRequest.PostAsync($"/admin/teams/{teamId}?handler=Delete", new() { Form = FormWith(page, token), MaxRedirects = 0 });
        Assert.Equal(403, forged.Status);
    }

    [Fact]
    public async Task An_admin_of_another_organization_cannot_open_a_team_by_editing_its_id_in_the_url()
    {
        var theirs = "tthem-" + Guid.NewGuid().ToString("N")[..6];
        var mine = "tmine-" + Guid.NewGuid().ToString("N")[..6];
        await App.CreateOrganizationClientAsync(theirs);
        await App.CreateOrganizationClientAsync(mine);
        var teamId = await CreateTeamAsync(theirs, "Their Secret Team");
        await AddPersonAsync(mine, "otto", OrganizationRole.Owner);
        var page = await fixture.NewPersonAsync();
        await SignInThroughProviderAsync(page, "otto");

        var response = await page.GotoAsync($"/admin/teams/{teamId}");

        Assert.Equal(404, response!.Status);
        await page.GotoAsync("/admin/teams?q=their");
        await Expect(page.Locator("#team-count")).ToHaveTextAsync("0 teams");
    }

    private async Task<Guid> CreateTeamAsync(string slug, string name)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var organizationId = services.GetRequiredService<ScimBridgeDbContext>().Organizations.Single(o => o.Slug == slug).Id;
        var teams = services.GetRequiredService<TeamProvisioning>();
        var team = await teams.CreateAsync(name, new TeamSettings(), new ProvisioningContext(organizationId, AuditActor.CommandLine("test"), ManagedBySources.Manual), CancellationToken.None);
        await teams.SaveAsync(CancellationToken.None);
        return team.Id;
    }
}
