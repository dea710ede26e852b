using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;
using ScimBridge.Scim;
using ScimBridge.Scim.Cli;
using ScimBridge.Sync.Tests.Entra;

namespace ScimBridge.Sync.Tests.Runs;

/// <summary>
/// <c>sync run</c> on the service's executable (the SCIM host composition in command mode) over the Entra ID source
/// against a local Graph, into SQLite (and PostgreSQL in the subclass). The client secret comes from a file (<c>ClientSecretFile</c>).
/// </summary>
public abstract class SyncCommandEntraTests : IDisposable
{
    private const string Sales = "0b7c2d3e-0000-4000-8000-000000000001";
    private readonly GraphStub _graph = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "scimbridge-sync-tests", Guid.NewGuid().ToString("N"));

    public SyncCommandEntraTests()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "entra-secret"), GraphStub.ClientSecret + "\n");
    }

    /// <summary>The database the commands run on: a SQLite file in the test's folder, or PostgreSQL in the subclass.</summary>
    protected virtual IDictionary<string, string?> Database => field ??= SyncDatabases.Sqlite(Path.Combine(_folder, "scimbridge.db"));

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _graph.Dispose();
        }
    }

    private async Task<(int ExitCode, string Output)> RunCommandAsync(params string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = _folder });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ScimBridge:Mappings:Path"] = Path.Combine(_folder, "mappings"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["ScimBridge:Sync:Sources:0:Name"] = "entra",
            ["ScimBridge:Sync:Sources:0:Organization"] = "acme",
            ["ScimBridge:Sync:Sources:0:Type"] = "EntraId",
            ["ScimBridge:Sync:Sources:0:TenantId"] = GraphStub.TenantId,
            ["ScimBridge:Sync:Sources:0:ClientId"] = GraphStub.ClientId,
            ["ScimBridge:Sync:Sources:0:ClientSecretFile"] = Path.Combine(_folder, "entra-secret"),
            ["ScimBridge:Sync:Sources:0:Authority"] = _graph.Root,
            ["ScimBridge:Sync:Sources:0:GraphBaseUrl"] = _graph.GraphRoot,
            // Three users: the default 10% would let no departure through without --force.
            ["ScimBridge:Sync:Sources:0:DeactivationThresholdPercent"] = "50",
        });
        builder.Configuration.AddInMemoryCollection(Database);
        builder.AddScimBridge(commandMode: true);
        builder.Services.AddSingleton(_graph.Transport());
        await using var app = builder.Build();
        await app.Services.MigrateDatabaseAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
            if (!await db.Organizations.AnyAsync(o => o.Slug == "acme"))
            {
                db.Organizations.Add(new Organization { Slug = "acme", Name = "Acme", CreatedAt = DateTimeOffset.UnixEpoch });
                await db.SaveChangesAsync();
            }
        }

        var output = new StringWriter();
        var exit = await AdminCommandLine.RunAsync(app.Services, args, output, output);
        return (exit, output.ToString());
    }

    private async Task<List<(string? Key, string UserName, UserStatus Status)>> UsersAsync()
    {
        await using var db = SyncDatabases.Open(Database);
        var users = await db.Users.IgnoreAutoIncludes().OrderBy(u => u.SourceKey).Select(u => new { u.SourceKey, u.UserName, u.Status }).ToListAsync();
        return [.. users.Select(u => (u.SourceKey, u.UserName, u.Status))];
    }

    private void StubFirstFullRead()
    {
        _graph.StubLatestDeltaLinks("users-token-1", "groups-token-1");
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users",
        [
            GraphJson.User("u-1", "adele@contoso.com", "Adele", "Vance", mail: "Adele.Vance@contoso.com"),
            GraphJson.User("u-2", "alex@contoso.com", "Alex", "Wilber"),
            GraphJson.User("u-3", "diego@contoso.com", "Diego", "Siciliani"),
        ]));
        _graph.Get("/groups", GraphJson.Page(_graph.GraphRoot, "groups", [GraphJson.Group(Sales, "Sales")]));
        _graph.Get($"/groups/{Sales}/members", GraphJson.Page(_graph.GraphRoot, "directoryObjects",
            [GraphJson.DirectoryObject("user", "u-1"), GraphJson.DirectoryObject("user", "u-2")]));
    }

    [Fact]
    public async Task Sync_run_creates_then_applies_a_delta_and_sync_runs_lists_both()
    {
        StubFirstFullRead();

        var (firstExit, first) = await RunCommandAsync("sync", "run", "--source", "entra");

        Assert.True(firstExit == 0, first);
        Assert.Contains("Succeeded", first, StringComparison.Ordinal);
        Assert.Contains("read: full, 3 users", first, StringComparison.Ordinal);
        Assert.Contains("created 3, updated 0, deactivated 0, reactivated 0, groups changed 1, memberships changed 2", first, StringComparison.Ordinal);
        Assert.DoesNotContain(GraphStub.ClientSecret, first, StringComparison.Ordinal);

        // Next run: Graph reports u-3 deleted and u-1 renamed; only those change.
        _graph.Get("/users/delta*", GraphJson.DeltaPage(_graph.GraphRoot, "users",
            [GraphJson.User("u-1", "adele.vance@contoso.com", "Adele", "Vance", mail: "Adele.Vance@contoso.com"), GraphJson.RemovedUser("u-3", "deleted")],
            deltaToken: "users-token-2"), ("$deltatoken", "users-token-1"));
        _graph.Get("/groups/delta*", GraphJson.DeltaPage(_graph.GraphRoot, "groups", [], deltaToken: "groups-token-2"), ("$deltatoken", "groups-token-1"));

        var (secondExit, second) = await RunCommandAsync("sync", "run", "--source", "entra");

        Assert.True(secondExit == 0, second);
        Assert.Contains("read: delta, 1 users", second, StringComparison.Ordinal);
        Assert.Contains("created 0, updated 1, deactivated 1", second, StringComparison.Ordinal);
        Assert.Equal(
            [("u-1", "adele.vance@contoso.com", UserStatus.Prepared), ("u-2", "alex@contoso.com", UserStatus.Prepared), ("u-3", "diego@contoso.com", UserStatus.Deactivated)],
            await UsersAsync());

        var (listExit, list) = await RunCommandAsync("sync", "runs", "--source", "entra");
        Assert.Equal(0, listExit);
        Assert.Equal(2, list.Split('\n').Count(l => l.Contains("Succeeded", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Graph_failure_fails_the_run_with_exit_code_1_and_changes_nothing()
    {
        StubFirstFullRead();
        await RunCommandAsync("sync", "run", "--source", "entra", "--full");
        _graph.Server.Reset();
        _graph.Dispose();

        var (exit, output) = await RunCommandAsync("sync", "run", "--source", "entra", "--full", "--force");

        Assert.Equal(1, exit);
        Assert.Contains("Failed", output, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", output, StringComparison.Ordinal);
        Assert.All(await UsersAsync(), u => Assert.Equal(UserStatus.Prepared, u.Status));
    }

    [Fact]
    public async Task Dry_run_prints_the_diff_and_unknown_source_is_a_usage_error()
    {
        StubFirstFullRead();

        var (exit, output) = await RunCommandAsync("sync", "run", "--source", "entra", "--dry-run");
        var (unknownExit, unknown) = await RunCommandAsync("sync", "run", "--source", "ldap");

        Assert.Equal(0, exit);
        Assert.Contains("+ user adele@contoso.com [u-1]", output, StringComparison.Ordinal);
        Assert.Contains("DryRun", output, StringComparison.Ordinal);
        Assert.Empty(await UsersAsync());
        Assert.Equal(2, unknownExit);
        Assert.Contains("No sync source named 'ldap'. Configured: entra.", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_removed_in_a_delta_lose_their_memberships_of_three_groups_in_that_run_and_the_dry_run_says_so()
    {
        string[] groups = [Sales, "0b7c2d3e-0000-4000-8000-000000000002", "0b7c2d3e-0000-4000-8000-000000000003"];
        _graph.StubLatestDeltaLinks("users-token-1", "groups-token-1");
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users",
        [
            GraphJson.User("u-1", "adele@contoso.com", "Adele", "Vance"),
            GraphJson.User("u-2", "alex@contoso.com", "Alex", "Wilber"),
            GraphJson.User("u-3", "diego@contoso.com", "Diego", "Siciliani"),
            GraphJson.User("u-4", "grady@contoso.com", "Grady", "Archie"),
        ]));
        _graph.Get("/groups", GraphJson.Page(_graph.GraphRoot, "groups", groups.Select((id, i) => GraphJson.Group(id, $"Team {i + 1}"))));
        foreach (var group in groups)
        {
            _graph.Get($"/groups/{group}/members", GraphJson.Page(_graph.GraphRoot, "directoryObjects",
                [GraphJson.DirectoryObject("user", "u-1"), GraphJson.DirectoryObject("user", "u-2"), GraphJson.DirectoryObject("user", "u-3")]));
        }
        var (firstExit, first) = await RunCommandAsync("sync", "run", "--source", "entra");
        Assert.True(firstExit == 0, first);

        // Graph reports two users removed (one soft, one hard deleted) and no group change at all.
        _graph.Get("/users/delta*", GraphJson.DeltaPage(_graph.GraphRoot, "users",
            [GraphJson.RemovedUser("u-2", "changed"), GraphJson.RemovedUser("u-3", "deleted")], deltaToken: "users-token-2"), ("$deltatoken", "users-token-1"));
        _graph.Get("/groups/delta*", GraphJson.DeltaPage(_graph.GraphRoot, "groups", [], deltaToken: "groups-token-2"), ("$deltatoken", "groups-token-1"));

        var (dryExit, dry) = await RunCommandAsync("sync", "run", "--source", "entra", "--dry-run");
        var (exit, output) = await RunCommandAsync("sync", "run", "--source", "entra");

        Assert.True(dryExit == 0, dry);
        Assert.Contains("would be: created 0, updated 0, deactivated 2, reactivated 0, groups changed 0, memberships changed 6", dry, StringComparison.Ordinal);
        Assert.Equal(3, dry.Split('\n').Count(l => l.StartsWith("- member diego@contoso.com of group Team ", StringComparison.Ordinal)));
        Assert.True(exit == 0, output);
        Assert.Contains("deactivated 2, reactivated 0, groups changed 0, memberships changed 6", output, StringComparison.Ordinal);
        Assert.Equal(["adele@contoso.com"], await MembersAsync());
    }

    [Fact]
    public async Task A_Graph_page_cut_off_once_is_read_again_and_the_run_succeeds()
    {
        StubFirstFullRead();
        _graph.GetTruncatedOnce("/users", GraphJson.Page(_graph.GraphRoot, "users",
        [
            GraphJson.User("u-1", "adele@contoso.com", "Adele", "Vance"),
            GraphJson.User("u-2", "alex@contoso.com", "Alex", "Wilber"),
        ]));

        var (exit, output) = await RunCommandAsync("sync", "run", "--source", "entra");

        Assert.True(exit == 0, output);
        Assert.Contains("read: full, 2 users", output, StringComparison.Ordinal);
        Assert.Equal(2, _graph.RequestsTo("/users").Count);
    }

    [Fact]
    public async Task A_refused_sign_in_fails_in_one_line_with_the_AADSTS_code_and_no_stack_trace()
    {
        _graph.Server.ResetMappings();
        _graph.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath($"/{GraphStub.TenantId}/oauth2/v2.0/token").UsingPost())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                .WithBody("""{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value. Trace ID: 0000 Correlation ID: 1111 Timestamp: 2026-12-02 03:00:00Z","error_codes":[7000215]}"""));

        var (exit, output) = await RunCommandAsync("sync", "run", "--source", "entra");

        Assert.Equal(1, exit);
        var reason = Assert.Single(output.Split('\n'), l => l.Contains("reason:", StringComparison.Ordinal));
        Assert.Contains("AADSTS7000215: Invalid client secret provided.", reason, StringComparison.Ordinal);
        Assert.Contains(_graph.GraphRoot, reason, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    /// <summary>userNames of the users in any group, once each.</summary>
    private async Task<List<string>> MembersAsync()
    {
        await using var db = SyncDatabases.Open(Database);
        return await (from m in db.MemberEdges join u in db.Users on m.MemberId equals u.Id select u.UserName).Distinct().OrderBy(n => n).ToListAsync();
    }
}

public sealed class SyncCommandEntraTestsOnSqlite : SyncCommandEntraTests;

/// <summary>The same commands on PostgreSQL.</summary>
public sealed class SyncCommandEntraTestsOnPostgres(PostgresDatabase server) : SyncCommandEntraTests, IClassFixture<PostgresDatabase>
{
    protected override IDictionary<string, string?> Database { get; } = SyncDatabases.Postgres(server);
}
