using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;
using ScimBridge.Sync.Tests.Runs;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>A directory that goes away during a run: the run fails, nobody is deactivated, the cursor stays.</summary>
public abstract class LdapSyncFailureTests : IAsyncLifetime
{
    /// <summary>The database settings the host runs on; none for its default, a fresh SQLite file.</summary>
    protected virtual IDictionary<string, string?>? Database => null;

    private SlapdServer _server = null!;
    private LdapTree _tree = null!;

    public async Task InitializeAsync()
    {
        _tree = await LdapTree.StartServerAsync("down", new SlapdOptions { CountSearches = true });
        _server = _tree.Server;
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Slapd_stopped_during_the_read_fails_the_run_and_deactivates_nobody()
    {
        for (var i = 0; i < 1500; i++)
        {
            _tree.AddUser($"user{i:0000}");
        }
        // One entry per page: 1,500 round trips keep the read busy long enough to stop slapd in the middle of it.
        await using var host = await LdapSyncHost.CreateAsync(_tree, new Dictionary<string, string?> { ["PageSize"] = "1" }, Database);
        await host.RunAsync();
        var before = await host.Host.DirectoryFingerprintAsync();

        var searched = _server.SearchesAnswered;
        var running = host.RunAsync(full: true);
        await Poll.UntilAsync(() => _server.SearchesAnswered >= searched + 20 || running.IsCompleted, "20 pages of the read");
        Assert.False(running.IsCompleted, "the read should still be paging when slapd stops");
        _server.Stop();
        var (run, _) = await running.WaitAsync(Poll.Deadline);

        Assert.Equal((SyncRunStatus.Failed, 0, true), (run.Status, run.Deactivated, run.Full));
        Assert.Contains("nothing was changed", run.AbortedReason, StringComparison.Ordinal);
        Assert.Contains(" page ", run.AbortedReason, StringComparison.Ordinal);
        Assert.Equal(before, await host.Host.DirectoryFingerprintAsync());
        Assert.All((await host.UsersAsync()).Values, u => Assert.NotEqual(UserStatus.Deactivated, u.Status));
    }

    [Fact]
    public async Task A_dead_port_fails_the_full_run_through_sync_run_in_one_line_naming_the_URL()
    {
        _tree.AddUser("adele");
        await using var host = await LdapSyncHost.CreateAsync(_tree, hostSettings: Database);
        await host.RunAsync();
        var before = await host.Host.DirectoryFingerprintAsync();
        _server.Stop();

        var (exit, output, run) = await host.CommandAsync("--full");

        var (verboseExit, verbose, _) = await host.CommandAsync("--full", "--verbose");

        // The run is recorded and printed as the full run it attempted, even though it read nothing.
        Assert.Equal((1, SyncRunStatus.Failed, true), (exit, run.Status, run.Full));
        Assert.Contains("read: full, 0 users", output, StringComparison.Ordinal);
        var reason = Assert.Single(output.Split('\n'), l => l.Contains("reason:", StringComparison.Ordinal));
        Assert.Contains("server cannot be reached", reason, StringComparison.Ordinal);
        Assert.Contains(_server.Url, reason, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Equal(1, verboseExit);
        Assert.Contains("   at ", verbose, StringComparison.Ordinal);
        Assert.Equal(before, await host.Host.DirectoryFingerprintAsync());
    }
}

public sealed class LdapSyncFailureTestsOnSqlite : LdapSyncFailureTests;

/// <summary>The same runs on PostgreSQL.</summary>
public sealed class LdapSyncFailureTestsOnPostgres(PostgresDatabase server) : LdapSyncFailureTests, IClassFixture<PostgresDatabase>
{
    protected override IDictionary<string, string?> Database { get; } = SyncDatabases.Postgres(server);
}
