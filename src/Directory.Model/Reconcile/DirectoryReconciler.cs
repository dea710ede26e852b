using Microsoft.Extensions.Logging;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;

namespace ScimBridge.Model.Reconcile;

/// <summary>What one reconcile should do: for which organization and source, as whom, and with which safety settings.</summary>
public sealed record ReconcileRequest(Guid OrganizationId, string Source, AuditActor Actor, DeactivationPolicy Policy)
{
    /// <summary>Apply even when the guard refuses (an admin's decision for one run).</summary>
    public bool Force { get; init; }

    /// <summary>Plan and judge only; nothing is written.</summary>
    public bool DryRun { get; init; }

    /// <summary>Users or groups written per transaction (see <see cref="ReconcileApplier.BatchSize"/>).</summary>
    public int ChangesPerTransaction { get; init; } = ReconcileApplier.DefaultBatchSize;

    /// <summary>What the directory holds for the source, when the run read it already (while it read the source).</summary>
    public StoredSourceState? Stored { get; init; }
}

/// <summary>The plan, the guard's verdict, and whether the plan was written.</summary>
public sealed record ReconcileOutcome(ReconcilePlan Plan, GuardVerdict Verdict, bool Applied);

/// <summary>
/// The one reconcile path for every directory source: load the source's state, plan, guard, apply. A source hands it a
/// snapshot; it never reads a source itself, so a failed read can never get here.
/// </summary>
public sealed class DirectoryReconciler(ScimBridgeDbContext db, ReconcileApplier applier, TimeProvider clock, ILogger<DirectoryReconciler> logger)
{
    public async Task<ReconcileOutcome> ReconcileAsync(ReconcileRequest request, DirectorySnapshot snapshot, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = clock.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        var state = await ReconcileStateLoader.LoadAsync(db, request.OrganizationId, request.Source, snapshot, request.Stored, ct);
        var loaded = clock.GetTimestamp();
        var loadCpu = Environment.CpuUsage.TotalTime - cpu;
        var plan = ReconcilePlanner.Plan(request.Source, snapshot, state);
        var planned = clock.GetTimestamp();
        if (logger.IsEnabled(LogLevel.Debug))
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            logger.LogDebug(
                "Reconcile of {Source}: CPU {LoadCpuMs} ms to load, {PlanCpuMs} ms to plan; managed heap {HeapMiB} MiB, working set {WorkingSetMiB} MiB (peak so far {PeakMiB} MiB)",
                request.Source, (long)loadCpu.TotalMilliseconds, (long)(Environment.CpuUsage.TotalTime - cpu - loadCpu).TotalMilliseconds,
                GC.GetTotalMemory(false) >> 20, process.WorkingSet64 >> 20, process.PeakWorkingSet64 >> 20);
        }
        var verdict = DeactivationGuard.Check(plan, request.Policy, request.Force);
        TimeSpan? applied = !verdict.Allowed || request.DryRun || plan.IsEmpty ? null : await ApplyAsync(request, plan, ct);
        logger.LogInformation(
            "Reconcile of {Source}: state of {Users} users and {Members} members loaded in {LoadMs} ms, planned in {PlanMs} ms, applied in {ApplyMs} ms",
            request.Source, state.Users.Count, state.Members.Count, (long)clock.GetElapsedTime(started, loaded).TotalMilliseconds,
            (long)clock.GetElapsedTime(loaded, planned).TotalMilliseconds, (long)(applied?.TotalMilliseconds ?? 0));
        return new ReconcileOutcome(plan, verdict, Applied: applied is not null);
    }

    private async Task<TimeSpan> ApplyAsync(ReconcileRequest request, ReconcilePlan plan, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        applier.BatchSize = request.ChangesPerTransaction;
        await applier.ApplyAsync(plan, new ProvisioningContext(request.OrganizationId, request.Actor, request.Source), ct);
        return clock.GetElapsedTime(started);
    }
}
