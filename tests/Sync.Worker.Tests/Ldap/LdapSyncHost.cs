using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Cli;
using ScimBridge.Sync.Runs;
using ScimBridge.Sync.Tests.Runs;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>
/// The sync worker host (fresh SQLite file) with source <c>corp</c> of <c>"Type": "Ldap"</c> reading one
/// <see cref="LdapTree"/>; runs go through <c>sync run</c> or the same <see cref="SyncRunner"/>.
/// </summary>
public sealed class LdapSyncHost : IAsyncDisposable
{
    private LdapSyncHost(SyncTestHost host, LdapTree tree)
    {
        Host = host;
        Tree = tree;
    }

    public SyncTestHost Host { get; }
    public LdapTree Tree { get; }

    public static async Task<LdapSyncHost> CreateAsync(
        LdapTree tree, IDictionary<string, string?>? extra = null, IDictionary<string, string?>? hostSettings = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        const string prefix = "ScimBridge:Sync:Sources:0:";
        var settings = tree.SourceConfiguration(prefix);
        settings[prefix + "DisabledFilter"] = "(description=disabled)";
        settings[prefix + "TimeoutSeconds"] = "10";
        settings[prefix + "ReadTimeoutSeconds"] = "60";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[prefix + key] = value;
        }
        foreach (var (key, value) in hostSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return new LdapSyncHost(await SyncTestHost.CreateAsync(settings, services: services), tree);
    }

    public Task<SyncRunReport> RunAsync(bool full = false, bool force = false) =>
        Host.RunAsync(new SyncRunRequest { Full = full, Force = force });

    /// <summary>Runs <c>sync run --source corp</c> with <paramref name="flags"/> as the service's command line would.</summary>
    public async Task<(int Exit, string Output, SyncRun Run)> CommandAsync(params string[] flags)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await AdminCommandLine.RunAsync(Host.Services, ["sync", "run", "--source", SyncTestHost.Source, .. flags], output, error);
        var run = await Host.WithDbAsync(db => db.SyncRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstAsync());
        return (exit, output.ToString() + error, run);
    }

    /// <summary>The source's users in the platform, by source key.</summary>
    public Task<Dictionary<string, User>> UsersAsync() => Host.WithDbAsync(db =>
        db.Users.AsNoTracking().Include(u => u.Emails).Where(u => u.ManagedBy == SyncTestHost.Source && u.SourceKey != null)
            .ToDictionaryAsync(u => u.SourceKey!));

    /// <summary>Group display name → member display names (users by userName, groups by display name).</summary>
    public Task<Dictionary<string, List<string>>> GroupsAsync() => Host.WithDbAsync(async db =>
    {
        var groups = await db.Groups.AsNoTracking().Where(g => g.DeletedAt == null).ToListAsync();
        var names = (await db.Users.AsNoTracking().Select(u => new { u.Id, u.UserName }).ToListAsync()).ToDictionary(u => u.Id, u => u.UserName);
        foreach (var group in groups)
        {
            names[group.Id] = "group:" + group.DisplayName;
        }
        var members = await db.MemberEdges.ToListAsync();
        return groups.ToDictionary(
            g => g.DisplayName,
            g => members.Where(m => m.GroupId == g.Id).Select(m => names[m.MemberId]).Order(StringComparer.Ordinal).ToList());
    });

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
