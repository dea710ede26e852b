using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Scim.Operations;

/// <summary>
/// Degraded (still ready: SCIM keeps working) when a configured sync source's last run failed or was aborted; names
/// each such source with its run and reason. Without sync sources there is nothing to report.
/// </summary>
public sealed class SyncSourcesHealthCheck(SyncSourceCatalog catalog, IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var names = catalog.Sources.Where(s => s.Options.Enabled).Select(s => s.Name).ToList();
        if (names.Count == 0)
        {
            return HealthCheckResult.Healthy("no sync sources configured");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var failed = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var last = await db.SyncRuns.AsNoTracking()
                .Where(r => r.Source == name && r.Status != SyncRunStatus.Running && r.Status != SyncRunStatus.DryRun)
                .OrderByDescending(r => r.Id)
                .Select(r => new { r.Id, r.Status, r.AbortedReason })
                .FirstOrDefaultAsync(cancellationToken);
            if (last is not null && last.Status is SyncRunStatus.Failed or SyncRunStatus.Aborted)
            {
                failed[name] = $"run #{last.Id} {last.Status.ToString().ToLowerInvariant()}: {last.AbortedReason}";
            }
        }

        return failed.Count == 0
            ? HealthCheckResult.Healthy($"{names.Count} sync sources, last runs succeeded")
            : HealthCheckResult.Degraded($"sync sources whose last run failed: {string.Join(", ", failed.Keys)}", data: failed);
    }
}
