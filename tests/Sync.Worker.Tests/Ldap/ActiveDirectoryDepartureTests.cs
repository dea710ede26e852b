using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;
using ScimBridge.Sync.Sources;
using ScimBridge.Sync.Tests.Runs;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>
/// Active Directory departures from what AD offers (<c>Departures</c> <c>DeletedObjects</c> or <c>DirSync</c>) instead
/// of reading every id in scope: users are read from slapd as an AD source would read them (attributes mapped to
/// slapd's), and <see cref="FakeActiveDirectory"/> answers the show-deleted search and DirSync through the source's
/// connection seam. A deleted user and one moved out of the user base are deactivated by the next incremental run,
/// under the same guard.
/// </summary>
public abstract class ActiveDirectoryDepartureTests(SlapdFixture slapd)
{
    /// <summary>The database settings the host runs on; none for its default, a fresh SQLite file.</summary>
    protected virtual IDictionary<string, string?>? Database => null;

    private readonly FakeActiveDirectory _ad = new();

    [Theory]
    [InlineData("DeletedObjects")]
    [InlineData("DirSync")]
    public async Task A_deleted_user_and_one_moved_out_of_scope_are_deactivated_by_the_next_incremental_run(string departures)
    {
        var (tree, dns) = Directory(20);
        var alumni = Alumni(tree);
        await using var host = await HostAsync(tree, departures, threshold: 50);
        var (first, _) = await host.RunAsync();
        Assert.Equal((SyncRunStatus.Succeeded, true, 20), (first.Status, first.Full, first.Created));

        // AD's view of the round: user01 deleted, user02 moved to the alumni OU, user03 changed in place, and a user
        // the source never managed changed elsewhere in the domain.
        tree.Server.Delete(dns[0]);
        _ad.Deleted(Key(tree, dns, 0), dns[0]);
        tree.Server.Rename(dns[1], "uid=user02", alumni);
        _ad.Changed(Key(tree, dns, 1), $"uid=user02,{alumni}");
        tree.Server.Replace(dns[2], "displayName", "Changed Three");
        _ad.Changed(Key(tree, dns, 2), dns[2]);
        _ad.Changed("5d0c3c3e-0000-4000-8000-00000000abcd", $"CN=Somebody,OU=Elsewhere,{FakeActiveDirectory.Domain}");

        var (run, plan) = await host.RunAsync();
        var (again, againPlan) = await host.RunAsync();

        Assert.Equal((SyncRunStatus.Succeeded, false), (run.Status, run.Full));
        Assert.Equal(
            [(Key(tree, dns, 0), DeactivationReason.RemovedFromSource), (Key(tree, dns, 1), DeactivationReason.LeftScope)],
            plan!.Deactivations.Select(d => (d.SourceKey, d.Reason)).OrderBy(d => d.Reason).ToList());
        var users = await host.UsersAsync();
        Assert.Equal([Key(tree, dns, 0), Key(tree, dns, 1)], users.Where(u => u.Value.Status == UserStatus.Deactivated).Select(u => u.Key).Order());
        Assert.Equal("Changed Three", users[Key(tree, dns, 2)].DisplayName);
        Assert.Equal(18, (await host.GroupsAsync())["everyone"].Count);
        Assert.True((await host.Host.VerifyAuditAsync()).Intact);
        Assert.Equal(SyncRunStatus.Succeeded, again.Status);
        Assert.Empty(againPlan!.Deactivations);
        Assert.Equal(0, again.Deactivated);
    }

    [Fact]
    public async Task Deleted_objects_are_searched_across_the_domain_with_the_run_cursor_and_no_id_read_of_the_scope()
    {
        var (tree, dns) = Directory(10);
        await using var host = await HostAsync(tree, "DeletedObjects", threshold: 50);
        await host.RunAsync();
        Assert.Empty(_ad.Requests);
        tree.Server.Delete(dns[4]);
        _ad.Deleted(Key(tree, dns, 4), dns[4]);

        var (run, plan) = await host.RunAsync();

        Assert.Equal((SyncRunStatus.Succeeded, 1), (run.Status, run.Deactivated));
        var request = Assert.Single(_ad.Requests);
        Assert.StartsWith($"deleted {FakeActiveDirectory.Domain} (&(&(objectClass=user)(!(objectClass=computer)))(modifyTimestamp>=", request, StringComparison.Ordinal);
        Assert.EndsWith(" entryUUID,isDeleted", request, StringComparison.Ordinal);
        // The departure came from AD's change read: the run did not read the complete list of ids in scope.
        Assert.Null(plan!.UsersInScope);
    }

    [Fact]
    public async Task DirSync_takes_its_cookie_on_the_full_run_and_continues_from_the_stored_one()
    {
        var (tree, dns) = Directory(5);
        foreach (var (dn, i) in dns.Select((dn, i) => (dn, i)))
        {
            _ad.Exists(Key(tree, dns, i), dn);
        }
        await using var host = await HostAsync(tree, "DirSync", threshold: 50);
        var (first, _) = await host.RunAsync();
        var afterFirst = _ad.Requests.ToList();
        tree.Server.Delete(dns[3]);
        _ad.Deleted(Key(tree, dns, 3), dns[3]);

        var (second, _) = await host.RunAsync();
        var (third, _) = await host.RunAsync();

        Assert.Equal((SyncRunStatus.Succeeded, true, 0), (first.Status, first.Full, first.Deactivated));
        // Five users in rounds of two: three rounds, the first without a cookie.
        Assert.Equal(3, afterFirst.Count);
        Assert.EndsWith(" -", afterFirst[0], StringComparison.Ordinal);
        Assert.Equal((SyncRunStatus.Succeeded, false, 1), (second.Status, second.Full, second.Deactivated));
        Assert.EndsWith(" " + Convert.ToBase64String("log:0"u8.ToArray()), _ad.Requests[3], StringComparison.Ordinal);
        Assert.Equal((SyncRunStatus.Succeeded, false, 0), (third.Status, third.Full, third.Deactivated));
        Assert.EndsWith(" " + Convert.ToBase64String("log:1"u8.ToArray()), _ad.Requests[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Departures_from_deleted_objects_over_the_threshold_stop_the_run_and_change_nothing()
    {
        var (tree, dns) = Directory(20);
        await using var host = await HostAsync(tree, "DeletedObjects", threshold: 10);
        await host.RunAsync();
        var before = await host.Host.DirectoryFingerprintAsync();
        foreach (var i in new[] { 0, 1, 2, 3, 4 })
        {
            tree.Server.Delete(dns[i]);
            _ad.Deleted(Key(tree, dns, i), dns[i]);
        }

        var (exit, output, aborted) = await host.CommandAsync();

        Assert.Equal((1, SyncRunStatus.Aborted, false), (exit, aborted.Status, aborted.Full));
        Assert.Contains("deactivate 5 of 20", output, StringComparison.Ordinal);
        Assert.Equal(before, await host.Host.DirectoryFingerprintAsync());
    }

    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);

    /// <summary>A user's key, read from slapd while the entry exists (before a test deletes it).</summary>
    private string Key(LdapTree tree, List<string> dns, int index)
    {
        var dn = dns[index];
        if (!_keys.TryGetValue(dn, out var key))
        {
            key = tree.UuidOf(dn);
            _keys[dn] = key;
        }
        return key;
    }

    private (LdapTree Tree, List<string> Dns) Directory(int users)
    {
        var tree = slapd.NewTree();
        var dns = Enumerable.Range(1, users).Select(i => tree.AddUser($"user{i:00}")).ToList();
        tree.AddGroup("everyone", [.. dns]);
        for (var i = 0; i < dns.Count; i++)
        {
            Key(tree, dns, i);
        }
        return (tree, dns);
    }

    private static string Alumni(LdapTree tree)
    {
        var alumni = $"ou=alumni,{tree.Root}";
        tree.Server.Add(alumni, ("objectClass", ["top", "organizationalUnit"]), ("ou", ["alumni"]));
        return alumni;
    }

    /// <summary>An Active Directory source in all but the attribute names, which are slapd's.</summary>
    private Task<LdapSyncHost> HostAsync(LdapTree tree, string departures, int threshold) => LdapSyncHost.CreateAsync(tree,
        new Dictionary<string, string?>
        {
            ["Type"] = "FakeAd",
            ["ServerKind"] = "ActiveDirectory",
            ["Departures"] = departures,
            ["UserFilter"] = "(objectClass=inetOrgPerson)",
            ["GroupFilter"] = "(objectClass=groupOfNames)",
            ["IncrementalAttribute"] = "modifyTimestamp",
            ["Attributes:Id"] = "entryUUID",
            ["Attributes:UserName"] = "uid",
            ["Attributes:EmployeeNumber"] = "employeeNumber",
            ["DeactivationThresholdPercent"] = threshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
        Database,
        services: services => services.AddSingleton<IDirectorySourceFactory>(new FakeActiveDirectorySourceFactory(_ad)));
}

[Collection(SlapdCollection.Name)]
public sealed class ActiveDirectoryDepartureTestsOnSqlite(SlapdFixture slapd) : ActiveDirectoryDepartureTests(slapd);

/// <summary>The same runs on PostgreSQL.</summary>
[Collection(SlapdCollection.Name)]
public sealed class ActiveDirectoryDepartureTestsOnPostgres(SlapdFixture slapd, PostgresDatabase server)
    : ActiveDirectoryDepartureTests(slapd), IClassFixture<PostgresDatabase>
{
    protected override IDictionary<string, string?> Database { get; } = SyncDatabases.Postgres(server);
}
