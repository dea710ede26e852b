using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Admin;

/// <summary>The directory sync pages over HTTP against a real slapd: test connection, dry run, run now, history, force.</summary>
public sealed partial class SyncPageTests(SyncConsoleFixture fixture) : IClassFixture<SyncConsoleFixture>
{
    private SyncConsoleFactory App => fixture.App;

    [Fact]
    public async Task Test_connection_binds_counts_the_users_and_writes_nothing()
    {
        using var owner = await ConsoleSession.SignInAsync(App, "flow-theirs", "owner@example.org");
        var (_, page) = await owner.GetAsync("/admin/sync");
        Assert.Contains("data-source=\"theirs\"", page, StringComparison.Ordinal);

        var response = await owner.PostFormAsync("/admin/sync?handler=Test", page, [new("name", "theirs")]);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("connection works", html, StringComparison.Ordinal);
        Assert.Contains("3 users below ou=people,ou=theirs", html, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(db => db.SyncRuns.CountAsync(r => r.Source == "theirs")));
    }

    [Fact]
    public async Task A_dry_run_shows_users_and_the_team_and_role_lines_the_mapping_would_give_and_writes_nothing()
    {
        using var owner = await ConsoleSession.SignInAsync(App, "flow-dry", "owner@example.org");
        var (_, page) = await owner.GetAsync("/admin/sync");

        var started = await owner.PostFormAsync("/admin/sync?handler=DryRun", page, [new("name", "dry")]);
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var report = await FinishedAsync(owner, started.Headers.Location!.ToString());

        Assert.Contains("Dry run of 'dry'", report, StringComparison.Ordinal);
        Assert.Contains("adele", report, StringComparison.Ordinal);
        Assert.Contains("+ team Sales: adele as Admin", report, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("+ team Sales: alex as Member", report, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(": DryRun", report, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(db => db.Users.CountAsync(u => u.ManagedBy == "dry")));
        var (_, audit) = await owner.GetAsync("/admin/audit?action=sync.started");
        Assert.Contains("admin:owner@example.org", audit, StringComparison.Ordinal);
        Assert.Contains("dry-run started in the admin console", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_now_applies_the_source_and_its_run_page_lists_the_changes_it_made()
    {
        using var owner = await ConsoleSession.SignInAsync(App, "flow-live", "owner@example.org");
        var (_, page) = await owner.GetAsync("/admin/sync");
        Assert.Contains("0 0 3 * * ?", page, StringComparison.Ordinal);
        Assert.DoesNotContain("computed; no scheduler", page, StringComparison.Ordinal);

        var started = await owner.PostFormAsync("/admin/sync?handler=Run", page, [new("name", "live")]);
        var report = await FinishedAsync(owner, started.Headers.Location!.ToString());
        var runId = RunLink().Match(report).Groups[1].Value;

        Assert.Contains(": Succeeded", report, StringComparison.Ordinal);
        var (status, run) = await owner.GetAsync($"/admin/sync/runs/{runId}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("user.created", run, StringComparison.Ordinal);
        Assert.Contains($"sync:live#{runId}", run, StringComparison.Ordinal);
        var (_, history) = await owner.GetAsync("/admin/sync");
        Assert.Contains($"/admin/sync/runs/{runId}", history, StringComparison.Ordinal);
        var (_, users) = await owner.GetAsync("/admin/users?q=adele");
        Assert.Contains("adele", users, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_aborted_run_can_be_forced_by_an_owner_but_not_by_an_admin_and_the_force_is_audited()
    {
        using var owner = await ConsoleSession.SignInAsync(App, "flow-empty", "owner@example.org");
        using var admin = await ConsoleSession.SignInAsync(App, "flow-empty", "admin@example.org");
        await SetRoleAsync("flow-empty", "admin@example.org", OrganizationRole.Admin);
        var (_, page) = await owner.GetAsync("/admin/sync");
        var started = await owner.PostFormAsync("/admin/sync?handler=Run", page, [new("name", "empty")]);
        var report = await FinishedAsync(owner, started.Headers.Location!.ToString());
        var runId = RunLink().Match(report).Groups[1].Value;
        Assert.Contains(": Aborted", report, StringComparison.Ordinal);

        var (_, adminView) = await admin.GetAsync($"/admin/sync/runs/{runId}");
        Assert.Contains("returned no users", adminView, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"force\"", adminView, StringComparison.Ordinal);
        var refused = await admin.PostFormAsync($"/admin/sync/runs/{runId}?handler=Force", adminView, []);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var (_, ownerView) = await owner.GetAsync($"/admin/sync/runs/{runId}");
        Assert.Contains("id=\"force\"", ownerView, StringComparison.Ordinal);
        var forced = await owner.PostFormAsync($"/admin/sync/runs/{runId}?handler=Force", ownerView, []);
        var forcedReport = await FinishedAsync(owner, forced.Headers.Location!.ToString());
        Assert.Contains(": Succeeded (forced)", forcedReport, StringComparison.Ordinal);
        var (_, audit) = await owner.GetAsync("/admin/audit?action=sync.forced");
        Assert.Contains("admin:owner@example.org", audit, StringComparison.Ordinal);
        Assert.Contains($"run {runId} was aborted", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_sees_no_run_buttons_and_a_forged_run_gets_403()
    {
        using var owner = await ConsoleSession.SignInAsync(App, "flow-theirs", "owner@example.org");
        using var viewer = await ConsoleSession.SignInAsync(App, "flow-theirs", "viewer@example.org");
        await SetRoleAsync("flow-theirs", "viewer@example.org", OrganizationRole.Viewer);

        var (_, page) = await viewer.GetAsync("/admin/sync");

        Assert.Contains("data-source=\"theirs\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"run-theirs\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"dry-run-theirs\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"test-theirs\"", page, StringComparison.Ordinal);
        var forged = await viewer.PostFormAsync("/admin/sync?handler=Run", page, [new("name", "theirs")]);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(0, await CountAsync(db => db.SyncRuns.CountAsync(r => r.Source == "theirs" && r.Trigger == "console")));
    }

    [Fact]
    public async Task Another_organizations_sources_and_runs_are_never_shown_even_by_editing_the_url()
    {
        long theirRun;
        {
            using var them = await ConsoleSession.SignInAsync(App, "flow-dry", "them@example.org");
            var (_, their) = await them.GetAsync("/admin/sync");
            var started = await them.PostFormAsync("/admin/sync?handler=DryRun", their, [new("name", "dry")]);
            var report = await FinishedAsync(them, started.Headers.Location!.ToString());
            theirRun = long.Parse(RunLink().Match(report).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        using var owner = await ConsoleSession.SignInAsync(App, "flow-other", "owner@example.org");
        var (_, page) = await owner.GetAsync("/admin/sync");

        Assert.Contains("id=\"no-sources\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-source=", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/admin/sync/runs/", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/admin/sync/runs/{theirRun}")).Status);
        var run = await owner.PostFormAsync("/admin/sync?handler=Run", page, [new("name", "dry")]);
        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
        var test = await owner.PostFormAsync("/admin/sync?handler=Test", page, [new("name", "dry")]);
        Assert.Equal(HttpStatusCode.NotFound, test.StatusCode);
    }

    /// <summary>Follows a started run's page until it has finished; returns that page.</summary>
    private static async Task<string> FinishedAsync(ConsoleSession session, string location)
    {
        var html = "";
        await Poll.UntilAsync(async () =>
        {
            (_, html) = await session.GetAsync(location);
            return html.Contains("Finished:", StringComparison.Ordinal) || html.Contains("Failed:", StringComparison.Ordinal);
        }, "the run to finish");
        return WebUtility.HtmlDecode(html);
    }

    private async Task<int> CountAsync(Func<ScimBridgeDbContext, Task<int>> count)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await count(scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>());
    }

    private Task SetRoleAsync(string slug, string userName, OrganizationRole role) => ConsoleRoles.SetAsync(App.Services, slug, userName, role);

    [GeneratedRegex("/admin/sync/runs/([0-9]+)\" id=\"run-link\"")]
    private static partial Regex RunLink();
}
