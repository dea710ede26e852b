using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScimBridge.Model;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Runs;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Sync.Tests.Runs;

/// <summary>
/// The sync worker as the standalone host composes it, on a fresh SQLite file, with one <c>Fake</c> source named
/// <c>corp</c> for organization <c>acme</c> reading <see cref="Directory"/>.
/// </summary>
public sealed class SyncTestHost : IAsyncDisposable
{
    public const string Source = "corp";
    public const string Organization = "acme";

    private SyncTestHost(IHost host, string folder)
    {
        Host = host;
        Folder = folder;
    }

    public IHost Host { get; }
    public string Folder { get; }
    public IServiceProvider Services => Host.Services;
    public FakeDirectory Directory => Services.GetRequiredService<FakeDirectory>();

    public static async Task<SyncTestHost> CreateAsync(
        IDictionary<string, string?>? settings = null, string? folder = null, bool start = false, FakeDirectory? directory = null,
        Action<IServiceCollection>? services = null)
    {
        folder ??= Path.Combine(Path.GetTempPath(), "scimbridge-sync-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var configuration = new Dictionary<string, string?>
        {
            ["ScimBridge:Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "scimbridge.db")}",
            ["ScimBridge:Sync:Sources:0:Name"] = Source,
            ["ScimBridge:Sync:Sources:0:Organization"] = Organization,
            ["ScimBridge:Sync:Sources:0:Type"] = "Fake",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddSingleton(directory ?? new FakeDirectory());
        builder.Services.AddSingleton<IDirectorySourceFactory, FakeSourceFactory>();
        services?.Invoke(builder.Services);
        builder.AddDirectoryModel();
        builder.AddSyncWorker();

        var host = builder.Build();
        await host.Services.MigrateDatabaseAsync();
        var result = new SyncTestHost(host, folder);
        await result.EnsureOrganizationAsync();
        if (start)
        {
            await host.StartAsync();
        }
        return result;
    }

    public async Task<Guid> EnsureOrganizationAsync()
    {
        return await WithDbAsync(async db =>
        {
            var existing = await db.Organizations.FirstOrDefaultAsync(o => o.Slug == Organization);
            if (existing is not null)
            {
                return existing.Id;
            }
            var organization = new Organization { Slug = Organization, Name = Organization, CreatedAt = DateTimeOffset.UnixEpoch };
            db.Organizations.Add(organization);
            await db.SaveChangesAsync();
            return organization.Id;
        });
    }

    public Task<SyncRunReport> RunAsync(SyncRunRequest? request = null)
    {
        var catalog = Services.GetRequiredService<SyncSourceCatalog>();
        return Services.GetRequiredService<SyncRunner>().RunAsync(catalog.Find(Source)!, request ?? new SyncRunRequest(), CancellationToken.None);
    }

    public async Task<T> WithDbAsync<T>(Func<ScimBridgeDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>());
    }

    /// <summary>Everything a run could write to the directory, to compare before and after.</summary>
    public Task<string> DirectoryFingerprintAsync() => WithDbAsync(async db =>
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Id).Select(u => $"{u.Id}|{u.UserName}|{u.Status}|{u.Version}").ToListAsync();
        var groups = await db.Groups.AsNoTracking().OrderBy(g => g.Id).Select(g => $"{g.Id}|{g.DisplayName}|{g.DeletedAt}").ToListAsync();
        var members = await db.MemberEdges.OrderBy(m => m.GroupId).ThenBy(m => m.MemberId).Select(m => $"{m.GroupId}|{m.MemberId}").ToListAsync();
        var audit = await db.AuditEntries.CountAsync();
        var cursor = await db.SyncSourceStates.AsNoTracking().Select(s => s.DeltaState).FirstOrDefaultAsync();
        return string.Join('\n', users.Concat(groups).Concat(members).Append($"audit={audit}").Append($"cursor={cursor}"));
    });

    public Task<AuditVerification> VerifyAuditAsync() => WithDbAsync(async db =>
    {
        var organizationId = await db.Organizations.Where(o => o.Slug == Organization).Select(o => o.Id).SingleAsync();
        return await new AuditVerifier(db).VerifyAsync(organizationId, CancellationToken.None);
    });

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        Host.Dispose();
    }
}
