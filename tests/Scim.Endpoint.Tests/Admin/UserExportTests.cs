using System.Net;
using ClosedXML.Excel;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Admin;

public sealed class UserExportTests(ScimBridgeFactory factory) : IClassFixture<ScimBridgeFactory>
{
    private static string Slug(string name) => name + "-" + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task An_xlsx_export_of_prepared_users_has_a_header_and_one_row_per_prepared_user_with_teams_and_roles()
    {
        var slug = Slug("xlsx");
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(slug));
        await api.CreateUserAsync("anna@example.org");
        await api.CreateUserAsync("bert@example.org");
        await api.CreateUserAsync("gone@example.org", active: false);
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        await AddToTeamAsync(owner, "Sales", "bert@example.org", "Admin");

        var response = await owner.Client.GetAsync("/admin/users/export?format=xlsx&state=prepared");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"users-{slug}-", response.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        using var workbook = new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var sheet = workbook.Worksheet(1);
        Assert.Equal("userName", sheet.Cell(1, 1).GetString());
        var header = sheet.Row(1).CellsUsed().Select(c => c.GetString()).ToList();
        var rows = sheet.RowsUsed().Skip(1).Select(r => header.Select((h, i) => (h, v: r.Cell(i + 1).GetString())).ToDictionary(x => x.h, x => x.v)).ToList();
        // SCIM creates users prepared (not yet invited); the deactivated one is left out.
        Assert.Equal(["anna@example.org", "bert@example.org"], rows.Select(r => r["userName"]).Where(u => u != "owner@example.org"));
        var bertRow = rows.Single(r => r["userName"] == "bert@example.org");
        Assert.Equal("Sales", bertRow["Teams"]);
        Assert.Equal("Sales: ADMIN", bertRow["Team roles"]);
        Assert.Equal("prepared", bertRow["State"]);
        Assert.Equal("yes", bertRow["Active"]);
        Assert.Equal("scim", bertRow["Managed by"]);
        Assert.DoesNotContain(rows, r => r["userName"] == "gone@example.org");
    }

    [Fact]
    public async Task A_csv_export_follows_the_search_of_the_users_page_and_the_export_is_audited()
    {
        var slug = Slug("csv");
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(slug));
        await api.CreateUserAsync("zoe.ramirez@example.org");
        await api.CreateUserAsync("zeno@example.org");
        await api.CreateUserAsync("=cmd@example.org");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        var (_, list) = await owner.GetAsync("/admin/users?q=ze&page=1");
        Assert.Contains("/admin/users/export?q=ze&amp;format=csv", list, StringComparison.Ordinal);

        var csv = await owner.Client.GetStringAsync("/admin/users/export?q=ze&format=csv");
        var all = await owner.Client.GetStringAsync("/admin/users/export?format=csv&state=all");

        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("userName,Given name,Family name", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("zeno@example.org,", lines[1], StringComparison.Ordinal);
        // A value that a spreadsheet would run as a formula is escaped.
        Assert.Contains("\"'=cmd@example.org\"", all, StringComparison.Ordinal);
        var (_, audit) = await owner.GetAsync("/admin/audit?action=users.exported");
        Assert.Contains("admin:owner@example.org", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_state_or_format_is_refused_with_a_clear_message()
    {
        using var owner = await ConsoleSession.SignInAsync(factory, Slug("bad"), "owner@example.org");

        var (status, html) = await owner.GetAsync("/admin/users/export?format=xlsx&state=retired");
        var (formatStatus, formatHtml) = await owner.GetAsync("/admin/users/export?format=pdf");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("is not a state; choose prepared, invited, active, deactivated or all", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, formatStatus);
        Assert.Contains("'pdf' is not an export format", WebUtility.HtmlDecode(formatHtml), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_users_export_command_writes_the_same_file_to_disk()
    {
        var slug = Slug("cli");
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(slug));
        for (var i = 0; i < 5; i++)
        {
            await api.CreateUserAsync($"person{i}@example.org");
        }

        var file = Path.Combine(Path.GetTempPath(), $"{slug}.xlsx");
        try
        {
            var (exit, output, error) = await AdminCli.RunAsync(factory, "users", "export", "--org", slug, "--format", "xlsx", "--to", file, "--state", "prepared");

            Assert.True(exit == 0, error);
            Assert.Contains("Exported 5 users", output, StringComparison.Ordinal);
            using var workbook = new XLWorkbook(file);
            Assert.Equal(6, workbook.Worksheet(1).RowsUsed().Count(r => r.Cell(1).GetString() != "owner@example.org"));
            var (badExit, _, badError) = await AdminCli.RunAsync(factory, "users", "export", "--org", slug, "--format", "pdf", "--to", file);
            Assert.Equal(2, badExit);
            Assert.Contains("--format must be xlsx or csv", badError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task AddToTeamAsync(ConsoleSession owner, string team, string member, string role)
    {
        var (_, form) = await owner.GetAsync("/admin/teams/new");
        var created = await owner.PostFormAsync("/admin/teams/new", form, [new("Form.Name", team)]);
        var path = created.Headers.Location!.OriginalString;
        var (_, page) = await owner.GetAsync(path);
        var added = await owner.PostFormAsync(path + "?handler=AddMember", page, [new("member", member), new("role", role)]);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
    }
}
