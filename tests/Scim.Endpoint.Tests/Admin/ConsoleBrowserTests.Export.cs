using ClosedXML.Excel;
using Microsoft.Playwright;
using ScimBridge.Model.Organizations;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Admin;

/// <summary>Exports and SCIM access in the browser.</summary>
public sealed partial class ConsoleBrowserTests
{
    [Fact]
    public async Task An_admin_exports_the_prepared_users_to_xlsx_and_the_file_holds_one_row_per_user_with_teams()
    {
        var slug = "export-" + Guid.NewGuid().ToString("N")[..6];
        var api = new ScimApi(await App.CreateOrganizationClientAsync(slug));
        await api.CreateUserAsync("amy@export.example");
        await api.CreateUserAsync("ben@export.example");
        await api.CreateUserAsync("cleo@export.example", active: false);
        await AddPersonAsync(slug, "erin", OrganizationRole.Admin);
        await CreateTeamAsync(slug, "Dispatch");
        var page = await fixture.NewPersonAsync();
        await SignInThroughProviderAsync(page, "erin");
        await page.GotoAsync("/admin/teams");
        await page.GetByRole(AriaRole.Link, new() { Name = "Dispatch" }).ClickAsync();
        await page.Locator("#member-input").FillAsync("ben@export.example");
        await page.Locator("#member-role").SelectOptionAsync("Admin");
        await page.Locator("#add-member").ClickAsync();
        await Expect(page.Locator("#team-members")).ToContainTextAsync("ben@export.example");

        await page.GotoAsync("/admin/users?state=prepared");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-xlsx").ClickAsync());

        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        await using var file = File.OpenRead(await download.PathAsync());
        using var workbook = new XLWorkbook(file);
        var sheet = workbook.Worksheet(1);
        var header = sheet.Row(1).CellsUsed().Select(c => c.GetString()).ToList();
        var rows = sheet.RowsUsed().Skip(1).Select(r => header.Select((h, i) => (h, v: r.Cell(i + 1).GetString())).ToDictionary(x => x.h, x => x.v)).ToList();
        var names = rows.Select(r => r["userName"]).ToList();
        Assert.Equal(["amy@export.example", "ben@export.example"], names.Where(n => n.EndsWith("@export.example", StringComparison.Ordinal)));
        Assert.Equal("Dispatch: ADMIN", rows.Single(r => r["userName"] == "ben@export.example")["Team roles"]);
        Assert.All(rows, r => Assert.Equal("prepared", r["State"]));

        await page.GotoAsync("/admin/audit");
        var audit = page.Locator("table.audit");
        await Expect(audit).ToContainTextAsync("users.exported");
        await Expect(audit).ToContainTextAsync("membership.added");
        await page.GotoAsync("/admin/audit?action=users.exported");
        await Expect(page.Locator("table.audit tbody tr").First.Locator(".actor")).ToHaveTextAsync($"admin:erin@{slug}.example");
    }

    [Fact]
    public async Task An_admin_creates_a_scim_token_sees_it_once_with_the_tenant_url_and_a_viewer_sees_no_buttons()
    {
        var slug = "access-" + Guid.NewGuid().ToString("N")[..6];
        await App.CreateOrganizationClientAsync(slug);
        await AddPersonAsync(slug, "abe", OrganizationRole.Admin);
        await AddPersonAsync(slug, "val", OrganizationRole.Viewer);
        var page = await fixture.NewPersonAsync();
        await SignInThroughProviderAsync(page, "abe");

        await page.GetByRole(AriaRole.Link, new() { Name = "SCIM access" }).ClickAsync();
        await page.Locator("#token-name").FillAsync("entra");
        await page.Locator("#create-token").ClickAsync();
        await Expect(page.Locator("#new-secret")).ToContainTextAsync("scb_");
        await Expect(page.Locator("#new-token-box")).ToContainTextAsync("/scim/v2");
        var secret = await page.Locator("#new-secret").TextContentAsync();
        await page.GotoAsync("/admin/access");
        Assert.Equal(0, await page.Locator("#new-secret").CountAsync());
        await Expect(page.Locator("#token-list")).ToContainTextAsync(secret![..12]);

        var viewer = await fixture.NewPersonAsync();
        await SignInThroughProviderAsync(viewer, "val");
        await viewer.GotoAsync("/admin/access");
        await Expect(viewer.Locator("#token-list")).ToContainTextAsync("entra");
        Assert.Equal(0, await viewer.Locator("main form").CountAsync());
        Assert.Equal(0, await viewer.Locator("main button").CountAsync());
    }
}
