using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Tests.Runs;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>
/// Mapping files in the sync path with no service running (the host is not started, as under <c>sync run</c>): a new
/// file on disk is taken into force by the run itself, and a dry run lists the team and role changes per user.
/// </summary>
public abstract class LdapSyncMappingTests(SlapdFixture slapd) : IAsyncLifetime
{
    /// <summary>The database settings the host runs on; none for its default, a fresh SQLite file.</summary>
    protected virtual IDictionary<string, string?>? Database => null;

    private readonly string _mappings = Path.Combine(Path.GetTempPath(), "scimbridge-sync-mappings-" + Guid.NewGuid().ToString("N")[..12]);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(_mappings, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_new_mapping_file_shapes_team_memberships_of_a_sync_run_and_the_dry_run_lists_them()
    {
        var tree = slapd.NewTree();
        var adele = tree.AddUser("adele");
        var alex = tree.AddUser("alex");
        var diego = tree.AddUser("diego");
        var sales = tree.AddGroup("sales", adele, alex);
        var leads = tree.AddGroup("leads", adele);
        await WriteMappingAsync(unmappedUsers: "keep");
        await using var host = await LdapSyncHost.CreateAsync(tree, hostSettings: SyncDatabases.With(new Dictionary<string, string?> { ["ScimBridge:Mappings:Path"] = _mappings }, Database));

        var (dryExit, dry, dryRun) = await host.CommandAsync("--dry-run");
        var beforeApply = await TeamsAsync(host);
        var (exit, output, run) = await host.CommandAsync();
        var applied = await TeamsAsync(host);

        tree.Server.RemoveValues(sales, "member", alex);
        tree.Server.AddValues(leads, "member", diego);
        var (_, secondDry, _) = await host.CommandAsync("--dry-run");

        Assert.Equal((0, SyncRunStatus.DryRun), (dryExit, dryRun.Status));
        Assert.Contains("+ team Sales: adele as Admin", dry, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("+ team Sales: alex as Member", dry, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("diego as", dry, StringComparison.Ordinal);
        Assert.Empty(beforeApply);
        Assert.True(exit == 0, output);
        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.Equal(["Sales adele Admin", "Sales alex Member"], applied);
        Assert.Contains("- team Sales: alex (was Member)", secondDry, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("+ team Sales: diego as Admin", secondDry, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("- member alex of group sales", secondDry, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dry_run_lists_role_changes_and_deactivations_by_unmappedUsers_and_the_run_then_makes_them()
    {
        var tree = slapd.NewTree();
        var adele = tree.AddUser("adele");
        var alex = tree.AddUser("alex");
        var diego = tree.AddUser("diego");
        var sales = tree.AddGroup("sales", adele, alex, diego);
        var leads = tree.AddGroup("leads", adele);
        await WriteMappingAsync(unmappedUsers: "deactivate");
        await using var host = await LdapSyncHost.CreateAsync(tree, hostSettings: SyncDatabases.With(new Dictionary<string, string?>
        {
            ["ScimBridge:Mappings:Path"] = _mappings,
            ["ScimBridge:Sync:Sources:0:DeactivationThresholdPercent"] = "50",
        }, Database));
        var (firstExit, first, _) = await host.CommandAsync();
        Assert.True(firstExit == 0, first);

        // adele steps down from leads, diego steps up, alex leaves every mapped group.
        tree.Server.AddValues(leads, "member", diego);
        tree.Server.RemoveValues(leads, "member", adele);
        tree.Server.RemoveValues(sales, "member", alex);
        var (dryExit, dry, _) = await host.CommandAsync("--dry-run");
        var (exit, output, run) = await host.CommandAsync();
        var applied = await TeamsAsync(host);
        var alexStatus = (await host.UsersAsync())[tree.UuidOf(alex)].Status;

        Assert.True(dryExit == 0, dry);
        Assert.Contains("~ team Sales: adele Admin -> Member", dry, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("~ team Sales: diego Member -> Admin", dry, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("- team Sales: alex (was Member)", dry, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("- user alex deactivated by the mapping (in no mapped group; unmappedUsers: deactivate)", dry, StringComparison.Ordinal);
        Assert.True(exit == 0, output);
        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.Equal(["Sales adele Member", "Sales diego Admin"], applied);
        Assert.Equal(ScimBridge.Model.Users.UserStatus.Deactivated, alexStatus);
    }

    /// <summary>acme.yaml: group sales → team Sales as Member, group leads → Sales as Admin.</summary>
    private async Task WriteMappingAsync(string unmappedUsers)
    {
        System.IO.Directory.CreateDirectory(_mappings);
        await File.WriteAllTextAsync(Path.Combine(_mappings, "acme.yaml"), $$"""
            organization: acme
            unmappedUsers: {{unmappedUsers}}
            rules:
              - group: { cn: "sales" }
                team: Sales
                role: MEMBER
              - group: { cn: "leads" }
                team: Sales
                role: ADMIN
            """);
    }

    private static Task<List<string>> TeamsAsync(LdapSyncHost host) => host.Host.WithDbAsync(async db =>
    {
        var rows = await (from m in db.TeamMemberships
                          join t in db.Teams on m.TeamId equals t.Id
                          join u in db.Users on m.UserId equals u.Id
                          where m.RemovedAt == null
                          select new { t.Name, u.UserName, m.Role }).ToListAsync();
        return rows.Select(r => $"{r.Name} {r.UserName} {r.Role}").Order(StringComparer.Ordinal).ToList();
    });
}

[Collection(SlapdCollection.Name)]
public sealed class LdapSyncMappingTestsOnSqlite(SlapdFixture slapd) : LdapSyncMappingTests(slapd);

/// <summary>The same runs on PostgreSQL.</summary>
[Collection(SlapdCollection.Name)]
public sealed class LdapSyncMappingTestsOnPostgres(SlapdFixture slapd, PostgresDatabase server) : LdapSyncMappingTests(slapd), IClassFixture<PostgresDatabase>
{
    protected override IDictionary<string, string?> Database { get; } = SyncDatabases.Postgres(server);
}
