using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;
using ScimBridge.Sync.Tests.Runs;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>
/// Departures reach the platform at the very next run, incremental or not: every LDAP run reads the complete set of
/// user ids in scope, so users deleted from slapd or moved out of the user base DN are deactivated at once, under the
/// same guard, and lose their group memberships.
/// </summary>
public abstract class LdapDepartureTests(SlapdFixture slapd)
{
    /// <summary>The database settings the host runs on; none for its default, a fresh SQLite file.</summary>
    protected virtual IDictionary<string, string?>? Database => null;

    [Fact]
    public async Task Users_deleted_or_moved_out_of_the_user_base_are_deactivated_by_the_next_incremental_run()
    {
        var tree = slapd.NewTree();
        var dns = Enumerable.Range(1, 100).Select(i => tree.AddUser($"user{i:000}")).ToList();
        tree.AddGroup("everyone", [.. dns]);
        tree.AddGroup("first-ten", [.. dns.Take(10)]);
        var alumni = $"ou=alumni,{tree.Root}";
        tree.Server.Add(alumni, ("objectClass", ["top", "organizationalUnit"]), ("ou", ["alumni"]));
        await using var host = await LdapSyncHost.CreateAsync(tree, hostSettings: Database);
        var (first, _) = await host.RunAsync();
        Assert.Equal((SyncRunStatus.Succeeded, 100), (first.Status, first.Created));

        // 5 % deleted, 3 moved out of ou=people (their entries and group entries stay as they were otherwise).
        var deleted = dns.Where((_, i) => i % 20 == 0).ToList();
        var moved = new[] { dns[1], dns[2], dns[3] };
        var keys = deleted.Concat(moved).Select(tree.UuidOf).ToHashSet();
        foreach (var dn in deleted)
        {
            tree.Server.Delete(dn);
        }
        foreach (var dn in moved)
        {
            tree.Server.Rename(dn, dn[..dn.IndexOf(',', StringComparison.Ordinal)], alumni);
        }
        // A group changed in the same run: its stored members are compared whole, the departed ones among them included.
        tree.Server.AddValues(tree.GroupDn("first-ten"), "member", dns[50]);

        var (run, plan) = await host.RunAsync();

        Assert.Equal((SyncRunStatus.Succeeded, false), (run.Status, run.Full));
        Assert.Equal(keys.Order(), plan!.Deactivations.Select(d => d.SourceKey).Order());
        Assert.All(plan.Deactivations, d => Assert.Equal(DeactivationReason.LeftScope, d.Reason));
        var users = await host.UsersAsync();
        Assert.Equal(keys.Order(), users.Where(u => u.Value.Status == UserStatus.Deactivated).Select(u => u.Key).Order());
        var groups = await host.GroupsAsync();
        Assert.Equal(92, groups["everyone"].Count);
        Assert.Equal(7, groups["first-ten"].Count);
        Assert.True((await host.Host.VerifyAuditAsync()).Intact);
    }

    [Fact]
    public async Task Departures_over_the_threshold_stop_an_incremental_run_like_a_full_one()
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

        var (exit, output, aborted) = await host.CommandAsync();
        var unchanged = await host.Host.DirectoryFingerprintAsync();

        Assert.Equal((1, SyncRunStatus.Aborted, false), (exit, aborted.Status, aborted.Full));
        Assert.Contains("deactivate 5 of 20", output, StringComparison.Ordinal);
        Assert.Equal(before, unchanged);
    }
}

[Collection(SlapdCollection.Name)]
public sealed class LdapDepartureTestsOnSqlite(SlapdFixture slapd) : LdapDepartureTests(slapd);

/// <summary>The same runs on PostgreSQL.</summary>
[Collection(SlapdCollection.Name)]
public sealed class LdapDepartureTestsOnPostgres(SlapdFixture slapd, PostgresDatabase server) : LdapDepartureTests(slapd), IClassFixture<PostgresDatabase>
{
    protected override IDictionary<string, string?> Database { get; } = SyncDatabases.Postgres(server);
}
