using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Runs;

/// <summary>
/// Leases of running sync runs, kept in the database so they work across processes and instances: a live run renews
/// its lease every quarter of <c>RunLeaseSeconds</c>; a run still Running after its lease ran out died with its
/// process (kill -9, power loss) and is marked <see cref="SyncRunStatus.Abandoned"/>, with what its audit entries
/// say it had applied. The next run of the source then reads in full and recomputes team memberships, so it ends
/// exactly where an uninterrupted run would have.
/// </summary>
public sealed class SyncRunLeases(IServiceScopeFactory scopes, IOptions<SyncOptions> options, TimeProvider clock, ILogger<SyncRunLeases> logger)
{
    public TimeSpan Duration => TimeSpan.FromSeconds(options.Value.RunLeaseSeconds);

    /// <summary>Renews the run's lease in the background until disposed.</summary>
    public IAsyncDisposable Hold(long runId) => new Renewal(token => RenewAsync(runId, token), Duration / 4, clock, logger, runId);

    /// <summary>Whether the lease of <paramref name="run"/>, still running, ran out: its process stopped without finishing.</summary>
    public bool IsExpired(SyncRunRow run, DateTimeOffset now) => IsExpired(run.LeaseExpiresAt, run.StartedAt, now);

    private bool IsExpired(DateTimeOffset? leaseExpiresAt, DateTimeOffset startedAt, DateTimeOffset now) => (leaseExpiresAt ?? startedAt + Duration) < now;

    /// <summary>Marks the source's runs whose lease ran out as abandoned (all sources when null); returns them.</summary>
    public async Task<IReadOnlyList<SyncRun>> AbandonExpiredAsync(ScimBridgeDbContext db, string? source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = clock.GetUtcNow();
        var query = db.SyncRuns.AsNoTracking().Where(r => r.Status == SyncRunStatus.Running);
        if (source is not null)
        {
            query = query.Where(r => r.Source == source);
        }
        var expired = (await query.ToListAsync(ct)).Where(r => IsExpired(r.LeaseExpiresAt, r.StartedAt, now)).ToList();
        var abandoned = new List<SyncRun>();
        foreach (var run in expired)
        {
            // Only one marker wins when two processes notice at once.
            var marked = await db.SyncRuns.Where(r => r.Id == run.Id && r.Status == SyncRunStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, SyncRunStatus.Abandoned), ct);
            if (marked == 0)
            {
                continue;
            }
            await RecordAppliedAsync(db, run, ct);
            logger.LogWarning("Sync run {SyncRunId} of {SyncSource} was abandoned: {Reason}", run.Id, run.Source, run.AbortedReason);
            abandoned.Add(run);
        }
        return abandoned;
    }

    /// <summary>
    /// Whether a run of the source was abandoned after its last successful run, or is about to be (its lease ran out):
    /// the next run must then heal.
    /// </summary>
    public bool NeedsRecovery(SyncRunBasis basis, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(basis);
        return basis.Runs.Any(r => r.Id > basis.LastSucceededId
            && (r.Status == SyncRunStatus.Abandoned || (r.Status == SyncRunStatus.Running && IsExpired(r, now))));
    }

    /// <summary>Whether a live run (one whose lease has not run out) holds the source.</summary>
    public bool IsHeld(SyncRunBasis basis, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(basis);
        return basis.Runs.Any(r => r.Status == SyncRunStatus.Running && !IsExpired(r, now));
    }

    /// <summary>Fills the run's counts from its audit entries, and its reason with them by action.</summary>
    private async Task RecordAppliedAsync(ScimBridgeDbContext db, SyncRun run, CancellationToken ct)
    {
        var actor = AuditActor.SyncRun(run.Source, run.Id).ToString();
        var slug = Organization.NormalizeSlug(run.Organization);
        run.OrganizationId ??= await db.Organizations.Where(o => o.Slug == slug).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);
        var entries = run.OrganizationId is { } organizationId
            ? await db.AuditEntries.AsNoTracking().Where(a => a.OrganizationId == organizationId && a.Actor == actor)
                .Select(a => new { a.Action, Members = a.Action.StartsWith("group.members.") ? a.After ?? a.Before : null })
                .ToListAsync(ct)
            : [];
        var byAction = entries.GroupBy(e => e.Action).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        run.Status = SyncRunStatus.Abandoned;
        run.Created = byAction.GetValueOrDefault("user.created");
        run.Updated = byAction.GetValueOrDefault("user.updated");
        run.Deactivated = byAction.GetValueOrDefault("user.deactivated");
        run.Reactivated = byAction.GetValueOrDefault("user.reactivated");
        run.GroupsChanged = byAction.Where(a => a.Key is "group.created" or "group.updated" or "group.deleted" or "group.restored").Sum(a => a.Value);
        run.MembershipsChanged = entries.Where(e => e.Members is not null).Sum(e => CountMembers(e.Members!));
        var applied = entries.Count == 0
            ? "it had applied nothing"
            : $"it had applied {entries.Count} audited changes ("
              + string.Join(", ", byAction.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Key} {a.Value}")))
              + "); the next run of the source reads in full and completes them";
        run.AbortedReason = string.Create(CultureInfo.InvariantCulture,
            $"abandoned: its process stopped without finishing (no lease renewal since {(run.LeaseExpiresAt ?? run.StartedAt + Duration) - Duration:u}); {applied}");
        run.FinishedAt ??= clock.GetUtcNow();
        await db.SyncRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Created, run.Created)
            .SetProperty(r => r.Updated, run.Updated)
            .SetProperty(r => r.Deactivated, run.Deactivated)
            .SetProperty(r => r.Reactivated, run.Reactivated)
            .SetProperty(r => r.GroupsChanged, run.GroupsChanged)
            .SetProperty(r => r.MembershipsChanged, run.MembershipsChanged)
            .SetProperty(r => r.AbortedReason, run.AbortedReason)
            .SetProperty(r => r.FinishedAt, run.FinishedAt), ct);
    }

    private static int CountMembers(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("members", out var members) && members.ValueKind == JsonValueKind.Array
                ? members.GetArrayLength()
                : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    private async Task RenewAsync(long runId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var until = clock.GetUtcNow() + Duration;
        await db.SyncRuns.Where(r => r.Id == runId && r.Status == SyncRunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, until), ct);
    }

    private sealed class Renewal : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public Renewal(Func<CancellationToken, Task> renew, TimeSpan interval, TimeProvider clock, ILogger logger, long runId)
        {
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        await Task.Delay(interval, clock, _stop.Token);
                        await renew(_stop.Token);
                    }
                    catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception ex)
                    {
                        // A missed renewal is retried at the next tick; only a quarter of the lease is lost.
                        logger.LogWarning(ex, "The lease of sync run {SyncRunId} could not be renewed", runId);
                    }
                }
            });
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }
    }
}
