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
}

/// <summary>The plan, the guard's verdict, and whether the plan was written.</summary>
public sealed record ReconcileOutcome(ReconcilePlan Plan, GuardVerdict Verdict, bool Applied);

/// <summary>
/// The one reconcile path for every directory source: load the source's state, plan, guard, apply. A source hands it a
/// snapshot; it never reads a source itself, so a failed read can never get here.
/// </summary>
public sealed class DirectoryReconciler(ScimBridgeDbContext db, ReconcileApplier applier)
{
    public async Task<ReconcileOutcome> ReconcileAsync(ReconcileRequest request, DirectorySnapshot snapshot, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var state = await ReconcileStateLoader.LoadAsync(db, request.OrganizationId, request.Source, snapshot, ct);
        var plan = ReconcilePlanner.Plan(request.Source, snapshot, state);
        var verdict = DeactivationGuard.Check(plan, request.Policy, request.Force);
        if (!verdict.Allowed || request.DryRun || plan.IsEmpty)
        {
            return new ReconcileOutcome(plan, verdict, Applied: false);
        }

        await applier.ApplyAsync(plan, new ProvisioningContext(request.OrganizationId, request.Actor, request.Source), ct);
        return new ReconcileOutcome(plan, verdict, Applied: true);
    }
}
