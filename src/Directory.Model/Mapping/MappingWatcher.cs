using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;

namespace ScimBridge.Model.Mapping;

/// <summary>
/// Keeps the mappings folder and the database in step: reads the folder at start and on every change event (debounced)
/// or poll, then recomputes each organization whose file version in force differs from the version last applied to it.
/// The applied version is stored, so a file edited while the service was down is applied at the next start.
/// </summary>
public sealed class MappingWatcher(
    MappingStore store, IServiceScopeFactory scopes, IOptions<MappingOptions> options, TimeProvider clock, ILogger<MappingWatcher> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await SyncAsync(stoppingToken);
        if (!settings.Watch)
        {
            return;
        }

        using var watcher = CreateWatcher();
        var poll = TimeSpan.FromSeconds(Math.Max(1, settings.PollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await _changed.WaitAsync(poll, stoppingToken))
                {
                    // Let the editor finish writing; further events during the quiet time fold into this one.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, settings.DebounceMilliseconds)), clock, stoppingToken);
                    while (_changed.CurrentCount > 0)
                    {
                        await _changed.WaitAsync(stoppingToken);
                    }
                }

                await SyncAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>Reads the folder and applies every mapping version not yet applied; errors are logged and retried on the next round.</summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        try
        {
            store.Reload();
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
            var organizations = await db.Organizations.AsNoTracking().Select(o => new { o.Id, o.Slug }).ToListAsync(ct);
            var applied = await db.AppliedMappings.AsNoTracking().ToDictionaryAsync(a => a.OrganizationId, a => a.Version, ct);
            foreach (var file in store.Files)
            {
                var organization = organizations.FirstOrDefault(o => o.Slug == file.Organization);
                store.SetWarnings(file.FileName, organization is null
                    ? [$"organization '{file.Organization}' does not exist yet; the file applies once it does"]
                    : []);
                if (organization is null || applied.GetValueOrDefault(organization.Id) == file.Version)
                {
                    continue;
                }

                await using var applyScope = scopes.CreateAsyncScope();
                var memberships = applyScope.ServiceProvider.GetRequiredService<MembershipProvisioning>();
                await memberships.RecomputeOrganizationAsync(organization.Id, AuditActor.Mapping(file.FileName), ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Applying mapping files from {Folder} failed; retrying on the next change or poll", store.Folder);
        }
    }

    private FileSystemWatcher? CreateWatcher()
    {
        if (!System.IO.Directory.Exists(store.Folder))
        {
            logger.LogInformation("Mappings folder {Folder} does not exist; polling for it", store.Folder);
            return null;
        }

        var watcher = new FileSystemWatcher(store.Folder)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, _) => _changed.Release();
        watcher.Created += (_, _) => _changed.Release();
        watcher.Deleted += (_, _) => _changed.Release();
        watcher.Renamed += (_, _) => _changed.Release();
        watcher.Error += (_, e) => logger.LogWarning(e.GetException(), "Watching {Folder} failed; polling continues", store.Folder);
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }
}
