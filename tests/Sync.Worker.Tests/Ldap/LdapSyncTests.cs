using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;
using ScimBridge.Sync.Tests.Runs;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>slapd → LDAP source → planner, guard, applier → SQLite, through <c>sync run</c> and the runner it uses.</summary>
public abstract class LdapSyncTests(SlapdFixture slapd)
{
    /// <summary>The database settings the host runs on; none for its default, a fresh SQLite file.</summary>
    protected virtual IDictionary<string, string?>? Database => null;

    /// <summary>Small test directories: let one run deactivate up to half of them.</summary>
    private static readonly Dictionary<string, string?> Lenient = new() { ["DeactivationThresholdPercent"] = "50" };

    [Fact]
    public async Task First_sync_creates_users_groups_and_nested_memberships()
    {
        var tree = slapd.NewTree();
        var adele = tree.AddUser("adele", "Adele", "Vance", mail: "Adele.Vance@example.org", employeeNumber: "1001");
        var alex = tree.AddUser("alex", "Alex", "Wilber");
        tree.AddUser("diego", "Diego", "Siciliani");
        var support = tree.AddGroup("support", alex);
        tree.AddGroup("sales", adele, support);
        await using var host = await LdapSyncHost.CreateAsync(tree, hostSettings: Database);

        var (exit, output, run) = await host.CommandAsync();

        Assert.Equal(0, exit);
        Assert.Contains("Succeeded", output, StringComparison.Ordinal);
        Assert.Contains("read: full, 3 users", output, StringComparison.Ordinal);
        Assert.Equal((SyncRunStatus.Succeeded, true, 3, 3), (run.Status, run.Full, run.UsersRead, run.Created));
        var users = await host.UsersAsync();
        var created = users[tree.UuidOf(adele)];
        Assert.Equal(("adele", "Adele", "Vance", "1001"), (created.UserName, created.GivenName, created.FamilyName, created.EmployeeNumber));
        Assert.Equal("Adele.Vance@example.org", Assert.Single(created.Emails).Value);
        var groups = await host.GroupsAsync();
        Assert.Equal(["adele", "group:support"], groups["sales"]);
        Assert.Equal(["alex"], groups["support"]);
        Assert.True((await host.Host.VerifyAuditAsync()).Intact);
    }

    [Fact]
    public async Task Re_sync_without_changes_writes_nothing_in_full_or_incremental_runs()
    {
        var tree = slapd.NewTree();
        var adele = tree.AddUser("adele");
        tree.AddUser("alex");
        tree.AddGroup("sales", adele);
        await using var host = await LdapSyncHost.CreateAsync(tree, hostSettings: Database);
        await host.RunAsync();
        var before = await host.Host.DirectoryFingerprintAsync();

        var (incremental, incrementalPlan) = await host.RunAsync();
        var (full, fullPlan) = await host.RunAsync(full: true);

        // The incremental read looks back 5 minutes, so it sees every entry again: still nothing to change.
        Assert.Equal((SyncRunStatus.Succeeded, false), (incremental.Status, incremental.Full));
        Assert.True(incrementalPlan!.IsEmpty);
        Assert.Equal((SyncRunStatus.Succeeded, true), (full.Status, full.Full));
        Assert.True(fullPlan!.IsEmpty);
        Assert.Equal(before.Split('\n')[..^1], (await host.Host.DirectoryFingerprintAsync()).Split('\n')[..^1]);
    }

    [Fact]
    public async Task A_user_deleted_from_LDAP_is_deactivated_by_the_next_incremental_run_and_kept()
    {
        var tree = slapd.NewTree();
        tree.AddUser("adele");
        var alex = tree.AddUser("alex");
        tree.AddUser("diego");
        await using var host = await LdapSyncHost.CreateAsync(tree, Lenient, Database);
        await host.RunAsync();
        var key = tree.UuidOf(alex);

        tree.Server.Delete(alex);
        var (incremental, _) = await host.RunAsync();
        var afterIncremental = await host.UsersAsync();
        var (full, _) = await host.RunAsync(full: true);

        // Every run reads the ids in scope, so the incremental run already sees the deletion; the full run has nothing left.
        Assert.Equal((SyncRunStatus.Succeeded, false, 1), (incremental.Status, incremental.Full, incremental.Deactivated));
        Assert.Equal(UserStatus.Deactivated, afterIncremental[key].Status);
        Assert.Equal((SyncRunStatus.Succeeded, 0), (full.Status, full.Deactivated));
        var users = await host.UsersAsync();
        Assert.Equal(UserStatus.Deactivated, users[key].Status);
        Assert.Equal(2, users.Values.Count(u => u.Status != UserStatus.Deactivated));
    }

    [Fact]
    public async Task A_disabled_user_is_deactivated_and_reactivated_when_enabled_again()
    {
        var tree = slapd.NewTree();
        tree.AddUser("adele");
        var alex = tree.AddUser("alex");
        tree.AddUser("diego");
        await using var host = await LdapSyncHost.CreateAsync(tree, Lenient, Database);
        await host.RunAsync();
        var key = tree.UuidOf(alex);

        tree.Server.Replace(alex, "description", "disabled");
        var (disabled, _) = await host.RunAsync();
        var whileDisabled = (await host.UsersAsync())[key].Status;
        tree.Server.Replace(alex, "description", "back");
        var (enabled, _) = await host.RunAsync();

        Assert.Equal((SyncRunStatus.Succeeded, 1), (disabled.Status, disabled.Deactivated));
        Assert.Equal(UserStatus.Deactivated, whileDisabled);
        Assert.Equal((SyncRunStatus.Succeeded, 1), (enabled.Status, enabled.Reactivated));
        Assert.NotEqual(UserStatus.Deactivated, (await host.UsersAsync())[key].Status);
    }

    [Fact]
    public async Task A_user_moved_between_groups_leaves_one_and_joins_the_other()
    {
        var tree = slapd.NewTree();
        var adele = tree.AddUser("adele");
        var alex = tree.AddUser("alex");
        var sales = tree.AddGroup("sales", adele, alex);
        var support = tree.AddGroup("support", adele);
        await using var host = await LdapSyncHost.CreateAsync(tree, hostSettings: Database);
        await host.RunAsync();

        tree.Server.RemoveValues(sales, "member", alex);
        tree.Server.AddValues(support, "member", alex);
        var (run, _) = await host.RunAsync();

        Assert.Equal((SyncRunStatus.Succeeded, 2, 0), (run.Status, run.MembershipsChanged, run.Deactivated));
        var groups = await host.GroupsAsync();
        Assert.Equal(["adele"], groups["sales"]);
        Assert.Equal(["adele", "alex"], groups["support"]);
    }

    [Fact]
    public async Task A_renamed_user_keeps_identity_and_memberships()
    {
        var tree = slapd.NewTree();
        tree.AddUser("adele");
        var alex = tree.AddUser("alex");
        tree.AddGroup("sales", alex);
        await using var host = await LdapSyncHost.CreateAsync(tree, hostSettings: Database);
        await host.RunAsync();
        var key = tree.UuidOf(alex);

        // modrdn: the DN and uid change, entryUUID stays; the group's member DN is updated as the admin would.
        tree.Server.Rename(alex, "uid=alexander");
        var renamed = tree.UserDn("alexander");
        tree.Server.Replace(tree.GroupDn("sales"), "member", renamed);
        var (run, _) = await host.RunAsync();

        Assert.Equal((SyncRunStatus.Succeeded, 0, 0, 1), (run.Status, run.Created, run.Deactivated, run.Updated));
        var users = await host.UsersAsync();
        Assert.Equal("alexander", users[key].UserName);
        Assert.Equal(2, users.Count);
        Assert.Equal(["alexander"], (await host.GroupsAsync())["sales"]);
    }

    [Fact]
    public async Task A_change_of_email_case_updates_the_same_user()
    {
        var tree = slapd.NewTree();
        var adele = tree.AddUser("adele", mail: "adele.vance@example.org");
        await using var host = await LdapSyncHost.CreateAsync(tree, hostSettings: Database);
        await host.RunAsync();
        var key = tree.UuidOf(adele);

        tree.Server.Replace(adele, "mail", "Adele.Vance@Example.org");
        var (run, _) = await host.RunAsync();

        Assert.Equal((SyncRunStatus.Succeeded, 0, 1), (run.Status, run.Created, run.Updated));
        var users = await host.UsersAsync();
        Assert.Single(users);
        Assert.Equal("Adele.Vance@Example.org", Assert.Single(users[key].Emails).Value);
    }

    [Fact]
    public async Task A_group_larger_than_one_page_syncs_every_member()
    {
        var tree = slapd.NewTree();
        var members = Enumerable.Range(1, 120).Select(i => tree.AddUser($"user{i:000}")).ToArray();
        for (var i = 121; i <= 170; i++)
        {
            tree.AddUser($"user{i:000}");
        }
        tree.AddGroup("everyone", members);
        await using var host = await LdapSyncHost.CreateAsync(tree, new Dictionary<string, string?> { ["PageSize"] = "50" }, Database);

        var (run, _) = await host.RunAsync();

        Assert.Equal((SyncRunStatus.Succeeded, 170, 170), (run.Status, run.UsersRead, run.Created));
        Assert.Equal(120, (await host.GroupsAsync())["everyone"].Count);
    }

    [Fact]
    public async Task An_empty_read_aborts_the_run_and_deactivates_nobody()
    {
        var tree = slapd.NewTree();
        var dns = new[] { tree.AddUser("adele"), tree.AddUser("alex") };
        await using var host = await LdapSyncHost.CreateAsync(tree, Lenient, Database);
        await host.RunAsync();
        var before = await host.Host.DirectoryFingerprintAsync();

        foreach (var dn in dns)
        {
            tree.Server.Delete(dn);
        }
        var (exit, output, run) = await host.CommandAsync("--full");

        Assert.Equal(1, exit);
        Assert.Equal(SyncRunStatus.Aborted, run.Status);
        Assert.Contains("returned no users", run.AbortedReason, StringComparison.Ordinal);
        Assert.Contains("Aborted", output, StringComparison.Ordinal);
        Assert.Equal(before, await host.Host.DirectoryFingerprintAsync());
    }

    [Fact]
    public async Task Deactivating_more_than_the_threshold_aborts_and_force_applies()
    {
        var tree = slapd.NewTree();
        var dns = Enumerable.Range(1, 20).Select(i => tree.AddUser($"user{i:00}")).ToList();
        await using var host = await LdapSyncHost.CreateAsync(tree, hostSettings: Database);
        await host.RunAsync();
        var before = await host.Host.DirectoryFingerprintAsync();
        foreach (var dn in dns.Take(5))
        {
            tree.Server.Delete(dn);
        }

        var (abortedExit, abortedOutput, aborted) = await host.CommandAsync("--full");
        var unchanged = await host.Host.DirectoryFingerprintAsync();
        var (forcedExit, forcedOutput, forced) = await host.CommandAsync("--full", "--force");

        Assert.Equal((1, SyncRunStatus.Aborted, true), (abortedExit, aborted.Status, aborted.Full));
        Assert.Contains("read: full, 15 users", abortedOutput, StringComparison.Ordinal);
        Assert.Contains("deactivate 5 of 20", abortedOutput, StringComparison.Ordinal);
        Assert.Equal(before, unchanged);
        Assert.Equal((0, SyncRunStatus.Succeeded, 5, true), (forcedExit, forced.Status, forced.Deactivated, forced.Forced));
        Assert.Contains("(forced)", forcedOutput, StringComparison.Ordinal);
        Assert.Equal(5, (await host.UsersAsync()).Values.Count(u => u.Status == UserStatus.Deactivated));
    }

    [Fact]
    public async Task An_over_threshold_dry_run_prints_counts_equal_to_its_diff_with_names()
    {
        var tree = slapd.NewTree();
        var dns = Enumerable.Range(1, 20).Select(i => tree.AddUser($"user{i:00}")).ToList();
        tree.AddGroup("everyone", [.. dns]);
        await using var host = await LdapSyncHost.CreateAsync(tree, hostSettings: Database);
        await host.RunAsync();
        foreach (var dn in dns.Take(5))
        {
            tree.Server.Delete(dn);
        }

        var (exit, output, run) = await host.CommandAsync("--dry-run");

        var lines = output.Split('\n');
        Assert.Equal((1, SyncRunStatus.Aborted), (exit, run.Status));
        Assert.Equal(5, lines.Count(l => l.StartsWith("- user user0", StringComparison.Ordinal) && l.Contains("deactivated", StringComparison.Ordinal)));
        Assert.Equal(5, lines.Count(l => l.StartsWith("- member user0", StringComparison.Ordinal) && l.EndsWith("of group everyone", StringComparison.Ordinal)));
        Assert.Contains("would be: created 0, updated 0, deactivated 5, reactivated 0, groups changed 0, memberships changed 5", output, StringComparison.Ordinal);
        Assert.Contains("deactivate 5 of 20", Assert.Single(lines, l => l.Contains("reason:", StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}

[Collection(SlapdCollection.Name)]
public sealed class LdapSyncTestsOnSqlite(SlapdFixture slapd) : LdapSyncTests(slapd);

/// <summary>The same runs on PostgreSQL.</summary>
[Collection(SlapdCollection.Name)]
public sealed class LdapSyncTestsOnPostgres(SlapdFixture slapd, PostgresDatabase server) : LdapSyncTests(slapd), IClassFixture<PostgresDatabase>
{
    protected override IDictionary<string, string?> Database { get; } = SyncDatabases.Postgres(server);
}
