using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Reconcile;

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

    /// <summary>One folder sync at a time: the watcher's own rounds and those a sync run asks for.</summary>
    private readonly SemaphoreSlim _syncing = new(1, 1);

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

    /// <summary>
    /// Reads the folder and brings every organization to its latest valid file version: a version already applied (by
    /// this service before, or by an admin's <c>mappings apply</c>) goes in force at once; a new one first passes the
    /// <see cref="MappingGuard"/>, or is held with the previous version left in force. Errors are logged and retried on the next round.
    /// </summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        await _syncing.WaitAsync(ct);
        try
        {
            await SyncFolderAsync(ct);
        }
        finally
        {
            _syncing.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> between the watcher's rounds (an admin's apply or release), never during one.</summary>
    public async Task<T> ExclusiveAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _syncing.WaitAsync(ct);
        try
        {
            return await work();
        }
        finally
        {
            _syncing.Release();
        }
    }

    /// <summary>
    /// The mapping a sync run of the organization uses, brought up to date first exactly as the service does it (also
    /// in a `sync run` process where no watcher runs): with <paramref name="apply"/> a valid new file version that
    /// the guard lets through is applied and taken into force. Without it (a dry run) nothing is written: the version
    /// the real run would use is returned. Null when no mapping file applies to the organization.
    /// </summary>
    public async Task<MappingFile?> PrepareAsync(string organizationSlug, bool apply, CancellationToken ct)
    {
        if (apply)
        {
            await SyncAsync(ct);
            return store.For(organizationSlug);
        }

        store.Reload();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organization = await db.Organizations.AsNoTracking().Where(o => o.Slug == organizationSlug).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);
        if (organization is not { } organizationId)
        {
            return null;
        }
        if (store.For(organizationSlug) is null && await db.AppliedMappings.AsNoTracking().FirstOrDefaultAsync(a => a.OrganizationId == organizationId, ct) is { } applied)
        {
            store.RestoreApplied(applied);
        }
        var inForce = store.For(organizationSlug);
        if (store.CandidateFor(organizationSlug) is not { } candidate || candidate.Version == inForce?.Version || store.IsHeld(candidate))
        {
            return inForce;
        }
        var (_, impact) = await scope.ServiceProvider.GetRequiredService<MembershipProvisioning>().AssessAsync(organizationId, candidate, ct);
        return MappingGuard.Check(candidate, impact, options.Value).Allowed ? candidate : inForce;
    }

    private async Task SyncFolderAsync(CancellationToken ct)
    {
        try
        {
            store.Reload();
            if (store.Candidates.Count == 0)
            {
                // No file to bring in force: nothing to compare with the database (a `sync run` without mappings asks
                // here before every read).
                return;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
            var organizations = await db.Organizations.AsNoTracking().Select(o => new { o.Id, o.Slug }).ToListAsync(ct);
            var applied = await db.AppliedMappings.AsNoTracking().ToDictionaryAsync(a => a.OrganizationId, ct);
            foreach (var file in store.Candidates)
            {
                var organization = organizations.FirstOrDefault(o => o.Slug == file.Organization);
                store.SetWarnings(file.FileName, organization is null
                    ? [$"organization '{file.Organization}' does not exist yet; the file applies once it does"]
                    : []);
                if (organization is null)
                {
                    continue;
                }

                var last = applied.GetValueOrDefault(organization.Id);
                if (last?.Version == file.Version)
                {
                    var inForce = store.For(file.Organization);
                    store.Accept(file);
                    if (inForce is not null && inForce.Version != file.Version)
                    {
                        // Applied by an admin's `mappings apply` while this service still had another version in force:
                        // recompute once so users SCIM changed meanwhile follow the accepted version too.
                        await RecomputeAsync(organization.Id, file, ct);
                    }

                    continue;
                }

                if (store.IsHeld(file))
                {
                    continue;
                }

                if (last is not null && store.For(file.Organization) is null)
                {
                    // After a restart: the version last applied stays in force until the new one passes the guard.
                    store.RestoreApplied(last);
                }

                await ApplyGuardedAsync(organization.Id, file, ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Applying mapping files from {Folder} failed; retrying on the next change or poll", store.Folder);
        }
    }

    private async Task RecomputeAsync(Guid organizationId, MappingFile file, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MembershipProvisioning>()
            .ApplyAsync(organizationId, file, AuditActor.Mapping(file.FileName), admit: null, ct);
    }

    private async Task ApplyGuardedAsync(Guid organizationId, MappingFile file, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var memberships = scope.ServiceProvider.GetRequiredService<MembershipProvisioning>();
        var actor = AuditActor.Mapping(file.FileName);
        MappingImpact? seen = null;
        var verdict = GuardVerdict.Allow;
        var plan = await memberships.ApplyAsync(organizationId, file, actor, impact =>
        {
            seen = impact;
            verdict = MappingGuard.Check(file, impact, options.Value);

            // In force before the writes, so SCIM recomputes during a long apply already use the new version.
            if (verdict.Allowed)
            {
                store.Accept(file);
            }

            return verdict.Allowed;
        }, ct);
        if (plan is not null || seen is not { } impact)
        {
            return;
        }

        if (!store.Hold(file, impact, verdict.Reason!))
        {
            return;
        }

        logger.LogWarning("Mapping file held for organization {Organization}: {Reason}", file.Organization, verdict.Reason);
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        audit.Record(organizationId, actor, "mapping.held", "mapping", file.FileName,
            before: new { version = store.For(file.Organization)?.Version },
            after: new { version = file.Version, impact },
            cause: verdict.Reason);
        await db.SaveChangesAsync(ct);
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
        _syncing.Dispose();
        base.Dispose();
    }
}
