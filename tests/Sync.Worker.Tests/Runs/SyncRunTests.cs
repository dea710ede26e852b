using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;
using ScimBridge.Sync.Runs;
using static ScimBridge.Sync.Tests.Reconcile.PlannerData;

namespace ScimBridge.Sync.Tests.Runs;

public abstract class SyncRunTests : IAsyncLifetime
{
    private SyncTestHost _host = null!;

    /// <summary>The database settings the host runs on; none for its default, a fresh SQLite file.</summary>
    protected virtual IDictionary<string, string?>? Database => null;

    public async Task InitializeAsync() => _host = await SyncTestHost.CreateAsync(Database);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static DirectorySnapshot Directory(int users, string? cursor = "cursor-1") => new()
    {
        IsFull = true,
        Users = IncomingRange(users),
        Groups = [new SourceGroup("g-all", "Everyone") { MemberUserKeys = [.. Enumerable.Range(1, users).Select(n => $"k{n}")] }],
        NextDeltaState = cursor,
    };

    [Fact]
    public async Task First_run_creates_users_groups_and_memberships_audited_as_the_run()
    {
        _host.Directory.Returns(Directory(20));

        var (run, _) = await _host.RunAsync();

        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.Equal((20, 0, 0, 20), (run.Created, run.Deactivated, run.ErrorCount, run.MembershipsChanged));
        var users = await _host.WithDbAsync(db => db.Users.Where(u => u.ManagedBy == SyncTestHost.Source && u.SourceKey != null).CountAsync());
        Assert.Equal(20, users);
        var stored = await _host.WithDbAsync(db => db.Users.SingleAsync(u => u.SourceKey == "k7"));
        Assert.True(stored.ToProfile().SameAs(Profile(7)), "the stored user reads back as the source sent it");
        var members = await _host.WithDbAsync(db => db.MemberEdges.CountAsync(m => m.MemberId == stored.Id));
        Assert.Equal(1, members);
        var actors = await _host.WithDbAsync(db => db.AuditEntries.Select(a => a.Actor).Distinct().ToListAsync());
        Assert.Contains($"sync:{SyncTestHost.Source}#{run.Id}", actors);
        Assert.True((await _host.VerifyAuditAsync()).Intact);
    }

    [Fact]
    public async Task Second_run_with_the_same_data_changes_nothing()
    {
        _host.Directory.Returns(Directory(20));
        await _host.RunAsync();
        var before = await _host.DirectoryFingerprintAsync();

        var (run, plan) = await _host.RunAsync();

        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.True(plan!.IsEmpty);
        Assert.Equal(before, await _host.DirectoryFingerprintAsync());
    }

    [Fact]
    public async Task Dry_run_reports_the_diff_and_writes_nothing()
    {
        _host.Directory.Returns(Directory(20));
        await _host.RunAsync();
        _host.Directory.Returns(Directory(19, cursor: "cursor-2") with { Users = [.. IncomingRange(19).Skip(1), Incoming(21)] });
        var before = await _host.DirectoryFingerprintAsync();

        var (run, plan) = await _host.RunAsync(new SyncRunRequest { DryRun = true });

        Assert.Equal(SyncRunStatus.DryRun, run.Status);
        Assert.Equal((1, 2), (run.Created, run.Deactivated));
        var diff = new StringWriter();
        await plan!.WriteDiffAsync(diff, CancellationToken.None);
        Assert.Contains("+ user user21@example.org [k21]", diff.ToString(), StringComparison.Ordinal);
        Assert.Contains("- user user1@example.org [k1] deactivated: AbsentFromFullRead", diff.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await _host.DirectoryFingerprintAsync());
    }

    [Fact]
    public async Task Empty_read_aborts_and_deactivates_nobody()
    {
        _host.Directory.Returns(Directory(20));
        await _host.RunAsync();
        _host.Directory.Returns(new DirectorySnapshot { IsFull = true, NextDeltaState = "cursor-2" });
        var before = await _host.DirectoryFingerprintAsync();

        var (run, _) = await _host.RunAsync();

        Assert.Equal(SyncRunStatus.Aborted, run.Status);
        Assert.Contains("returned no users", run.AbortedReason, StringComparison.Ordinal);
        Assert.Equal(before, await _host.DirectoryFingerprintAsync());
    }

    [Fact]
    public async Task Threshold_aborts_and_force_applies()
    {
        _host.Directory.Returns(Directory(20));
        await _host.RunAsync();
        _host.Directory.Returns(Directory(15));
        var before = await _host.DirectoryFingerprintAsync();

        var (aborted, _) = await _host.RunAsync();

        Assert.Equal(SyncRunStatus.Aborted, aborted.Status);
        Assert.Contains("deactivate 5 of 20 active users, more than the limit of 2", aborted.AbortedReason, StringComparison.Ordinal);
        Assert.Equal(before, await _host.DirectoryFingerprintAsync());

        var (forced, _) = await _host.RunAsync(new SyncRunRequest { Force = true });

        Assert.Equal((SyncRunStatus.Succeeded, 5, true), (forced.Status, forced.Deactivated, forced.Forced));
        var inactive = await _host.WithDbAsync(db => db.Users.Where(u => u.Status == UserStatus.Deactivated).Select(u => u.SourceKey).ToListAsync());
        Assert.Equivalent(new[] { "k16", "k17", "k18", "k19", "k20" }, inactive);
        Assert.True((await _host.VerifyAuditAsync()).Intact);
    }

    [Fact]
    public async Task Failed_read_marks_the_run_failed_deactivates_nobody_and_keeps_the_cursor()
    {
        _host.Directory.Returns(Directory(20));
        await _host.RunAsync();
        _host.Directory.Read = (_, _) => throw new DirectoryReadException("LDAP server went away on page 3");
        var before = await _host.DirectoryFingerprintAsync();

        var (run, _) = await _host.RunAsync(new SyncRunRequest { Force = true });

        Assert.Equal(SyncRunStatus.Failed, run.Status);
        Assert.Contains("LDAP server went away on page 3", run.AbortedReason, StringComparison.Ordinal);
        Assert.Equal(before, await _host.DirectoryFingerprintAsync());
    }

    [Fact]
    public async Task Read_that_outlasts_its_timeout_fails_the_run()
    {
        await using var host = await SyncTestHost.CreateAsync(new Dictionary<string, string?> { ["ScimBridge:Sync:Sources:0:ReadTimeoutSeconds"] = "1" });
        host.Directory.Read = async (_, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None); // ignores its token, like a hung library call
            return Directory(1);
        };

        var (run, _) = await host.RunAsync();

        Assert.Equal(SyncRunStatus.Failed, run.Status);
        Assert.Contains("did not finish within 1 s", run.AbortedReason, StringComparison.Ordinal);
        Assert.Equal(0, await host.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Unknown_organization_fails_the_run_with_a_clear_reason()
    {
        await using var host = await SyncTestHost.CreateAsync(new Dictionary<string, string?> { ["ScimBridge:Sync:Sources:0:Organization"] = "nope" });

        var (run, _) = await host.RunAsync();

        Assert.Equal(SyncRunStatus.Failed, run.Status);
        Assert.Contains("organization 'nope' does not exist", run.AbortedReason, StringComparison.Ordinal);
        Assert.Equal(0, host.Directory.Reads);
    }

    [Fact]
    public async Task Scim_and_hand_made_users_are_never_touched_and_a_name_collision_is_a_run_error()
    {
        var organizationId = await _host.EnsureOrganizationAsync();
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var provisioning = scope.ServiceProvider.GetRequiredService<UserProvisioning>();
            var db = scope.ServiceProvider.GetRequiredService<Model.Persistence.ScimBridgeDbContext>();
            await provisioning.CreateAsync(Profile(1), new ProvisioningContext(organizationId, AuditActor.ScimClient("okta"), ManagedBySources.Scim), CancellationToken.None, "k1");
            await provisioning.CreateAsync(Profile(99), new ProvisioningContext(organizationId, AuditActor.Admin("jane"), ManagedBySources.Manual), CancellationToken.None);
            await db.SaveChangesAsync();
        }
        _host.Directory.Returns(Directory(20));

        var (run, _) = await _host.RunAsync();

        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.Equal(19, run.Created);
        Assert.Contains("userName is already taken by a user managed by 'scim'", Assert.Single(run.Errors!.Split('\n')), StringComparison.Ordinal);
        var others = await _host.WithDbAsync(db => db.Users.Where(u => u.ManagedBy != SyncTestHost.Source).Select(u => new { u.UserName, u.Status, u.Version }).ToListAsync());
        Assert.All(others, u => Assert.Equal((1, UserStatus.Prepared), (u.Version, u.Status)));

        // A later full read without them still leaves them alone.
        _host.Directory.Returns(Directory(19));
        var (second, _) = await _host.RunAsync();
        Assert.Equal(1, second.Deactivated);
        Assert.Equal(2, await _host.WithDbAsync(db => db.Users.CountAsync(u => u.ManagedBy != SyncTestHost.Source && u.Status != UserStatus.Deactivated)));
    }

    [Fact]
    public async Task User_back_in_the_source_is_reactivated_with_its_memberships()
    {
        _host.Directory.Returns(Directory(20));
        await _host.RunAsync();
        _host.Directory.Returns(Directory(19));
        await _host.RunAsync();
        _host.Directory.Returns(Directory(20));

        var (run, _) = await _host.RunAsync();

        Assert.Equal((1, 1, 0), (run.Reactivated, run.MembershipsChanged, run.Created));
        var user = await _host.WithDbAsync(db => db.Users.IgnoreAutoIncludes().SingleAsync(u => u.SourceKey == "k20"));
        Assert.True(user.Active);
    }

    [Fact]
    public async Task Delta_runs_continue_from_the_stored_cursor_and_every_third_run_is_full()
    {
        await using var host = await SyncTestHost.CreateAsync(new Dictionary<string, string?> { ["ScimBridge:Sync:Sources:0:FullSyncEveryRuns"] = "3" });
        host.Directory.Read = (state, _) => Task.FromResult(state is null
            ? Directory(5, cursor: "c1")
            : new DirectorySnapshot { IsFull = false, Users = [Incoming(1, userName: $"renamed-{state}@example.org")], NextDeltaState = state + "+" });

        var kinds = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            kinds.Add((await host.RunAsync()).Run.Full);
        }

        Assert.Equal([true, false, false, true], kinds);
        Assert.Equal([null, "c1", "c1+", null], host.Directory.DeltaStatesSeen);
    }

    [Fact]
    public async Task A_run_while_another_run_of_the_source_is_in_progress_is_aborted()
    {
        var release = new TaskCompletionSource();
        _host.Directory.Read = async (_, _) =>
        {
            await release.Task;
            return Directory(5);
        };
        var first = _host.RunAsync();
        // Reading means the first run has passed its own check for a run in progress; a run row alone does not.
        await Poll.UntilAsync(() => _host.Directory.Reads == 1, "the first run to read");

        var (second, _) = await _host.RunAsync();
        release.SetResult();
        var (finished, _) = await first;

        Assert.Equal(SyncRunStatus.Aborted, second.Status);
        Assert.Contains($"run {finished.Id} of 'corp'", second.AbortedReason, StringComparison.Ordinal);
        Assert.Equal(1, _host.Directory.Reads);
        Assert.Equal((SyncRunStatus.Succeeded, 5), (finished.Status, finished.Created));
    }

    [Fact]
    public async Task Of_two_runs_started_at_the_same_moment_exactly_one_runs_and_the_other_reports_already_running()
    {
        var release = new TaskCompletionSource();
        var cancelled = 0;
        _host.Directory.Read = async (_, ct) =>
        {
            try
            {
                // A read that starts after its run gave it up stops at once, even when the release came meanwhile.
                ct.ThrowIfCancellationRequested();
                await release.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                throw;
            }
            return Directory(5);
        };

        // Both insert their run row before either could look for the other's.
        var runs = new[] { Task.Run(() => _host.RunAsync()), Task.Run(() => _host.RunAsync()) };
        await Poll.UntilAsync(() => runs.Any(r => r.IsCompleted), "one of the two runs to stop");
        release.SetResult();
        var reports = await Task.WhenAll(runs);

        var ran = Assert.Single(reports, r => r.Run.Status == SyncRunStatus.Succeeded).Run;
        var stopped = Assert.Single(reports, r => r.Run.Status == SyncRunStatus.Aborted).Run;
        Assert.StartsWith($"already running: run {ran.Id} of 'corp'", stopped.AbortedReason, StringComparison.Ordinal);
        // Each run may have begun reading before it claimed the source; the read of the run that lost is cancelled and
        // nothing it read is used.
        await Poll.UntilAsync(() => Volatile.Read(ref cancelled) == _host.Directory.Reads - 1, "the losing run's read to be cancelled",
            () => $"{_host.Directory.Reads} reads, {Volatile.Read(ref cancelled)} cancelled; runs: {string.Join(", ", reports.Select(r => $"{r.Run.Id} {r.Run.Status} {r.Run.UsersRead}"))}");
        Assert.Equal((0, 0), (stopped.UsersRead, stopped.Created));
        Assert.Equal(5, ran.Created);
        Assert.Equal(5, await _host.WithDbAsync(db => db.Users.CountAsync()));
        var recorded = await _host.WithDbAsync(db => db.SyncRuns.AsNoTracking().OrderBy(r => r.Id).Select(r => r.Status).ToListAsync());
        Assert.Equal(2, recorded.Count);
        Assert.Contains(SyncRunStatus.Aborted, recorded);
        Assert.DoesNotContain(SyncRunStatus.Running, recorded);
    }

    [Fact]
    public async Task A_run_whose_process_died_is_marked_abandoned_and_the_next_run_reads_in_full()
    {
        _host.Directory.Returns(Directory(20));
        await _host.RunAsync();
        var now = TimeProvider.System.GetUtcNow();
        var dead = await _host.WithDbAsync(async db =>
        {
            var run = new SyncRun
            {
                Source = SyncTestHost.Source, Organization = SyncTestHost.Organization, Trigger = "command",
                StartedAt = now.AddMinutes(-30), LeaseExpiresAt = now.AddMinutes(-20),
            };
            db.SyncRuns.Add(run);
            await db.SaveChangesAsync();
            return run.Id;
        });

        var (next, _) = await _host.RunAsync();
        var output = new StringWriter();
        var exit = await ScimBridge.Scim.Cli.AdminCommandLine.RunAsync(_host.Services, ["sync", "runs"], output, output);

        Assert.Equal((SyncRunStatus.Succeeded, true), (next.Status, next.Full));
        var marked = await _host.WithDbAsync(db => db.SyncRuns.SingleAsync(r => r.Id == dead));
        Assert.Equal(SyncRunStatus.Abandoned, marked.Status);
        Assert.Contains("it had applied nothing", marked.AbortedReason, StringComparison.Ordinal);
        Assert.Equal(0, exit);
        Assert.Contains("Abandoned", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, _host.Directory.DeltaStatesSeen.Count(s => s is null) - 1);
    }
}

public sealed class SyncRunTestsOnSqlite : SyncRunTests;

/// <summary>The same runs on PostgreSQL, where new users, memberships and audit entries go through its bulk statements.</summary>
public sealed class SyncRunTestsOnPostgres(PostgresDatabase server) : SyncRunTests, IClassFixture<PostgresDatabase>
{
    protected override IDictionary<string, string?> Database { get; } = SyncDatabases.Postgres(server);
}
