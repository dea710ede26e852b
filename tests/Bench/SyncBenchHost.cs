using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScimBridge.Model;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync;
using ScimBridge.Sync.Runs;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Bench;

/// <summary>
/// The sync worker composed as the service composes it (directory model + sync worker) on a fresh SQLite file in a
/// temporary folder, with organization <c>bench</c>. Runs go through <see cref="SyncRunner"/>: read, plan, guard, apply, record.
/// </summary>
internal sealed class SyncBenchHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _folder;

    private SyncBenchHost(IHost host, string folder)
    {
        _host = host;
        _folder = folder;
    }

    public IServiceProvider Services => _host.Services;

    public static async Task<SyncBenchHost> CreateAsync(IDictionary<string, string?> source, Action<IServiceCollection>? services = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "scimbridge-bench", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = new Dictionary<string, string?>
        {
            ["ScimBridge:Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "scimbridge.db")}",
            ["ScimBridge:Sync:Sources:0:Organization"] = "bench",
        };
        foreach (var (key, value) in source)
        {
            settings[$"ScimBridge:Sync:Sources:0:{key}"] = value;
        }
        builder.Configuration.AddInMemoryCollection(settings);
        services?.Invoke(builder.Services);
        // SCIMBRIDGE_BENCH_LOG=Debug prints the runner's and reconciler's phase lines, timestamped.
        if (Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("SCIMBRIDGE_BENCH_LOG"), ignoreCase: true, out var level))
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("ScimBridge", level);
        }
        builder.AddDirectoryModel();
        builder.AddSyncWorker();
        var host = builder.Build();
        await host.Services.MigrateDatabaseAsync();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
            db.Organizations.Add(new Organization { Slug = "bench", Name = "Bench", CreatedAt = TimeProvider.System.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        return new SyncBenchHost(host, folder);
    }

    public Task<SyncRunReport> RunAsync(SyncRunRequest? request = null)
    {
        var catalog = Services.GetRequiredService<SyncSourceCatalog>();
        return Services.GetRequiredService<SyncRunner>().RunAsync(catalog.Sources[0], request ?? new SyncRunRequest(), CancellationToken.None);
    }

    public static string Describe(SyncRun run) =>
        $"{run.Status}, {(run.Full ? "full" : "delta")} read of {run.UsersRead:N0} users: created {run.Created:N0}, updated {run.Updated:N0}, "
        + $"deactivated {run.Deactivated:N0}, reactivated {run.Reactivated:N0}, memberships {run.MembershipsChanged:N0}, errors {run.ErrorCount}"
        + (run.AbortedReason is null ? "" : $" ({run.AbortedReason})");

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await Task.Yield();
        try
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // the OS cleans the temp folder
        }
    }
}

/// <summary>A source returning whatever snapshot the benchmark put in <see cref="Next"/> (<c>"Type": "Snapshot"</c>).</summary>
internal sealed class SnapshotSourceFactory : IDirectorySourceFactory
{
    public DirectorySnapshot Next { get; set; } = new() { IsFull = true };

    public string Type => "Snapshot";

    public IDirectorySource Create(SyncSourceOptions options, IConfigurationSection section) => new SnapshotSource(options.Name, this);

    private sealed class SnapshotSource(string name, SnapshotSourceFactory factory) : IDirectorySource
    {
        public string Name => name;

        public Task<DirectorySnapshot> ReadAsync(string? deltaState, CancellationToken ct) => Task.FromResult(factory.Next);
    }
}
