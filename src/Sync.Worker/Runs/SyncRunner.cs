using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Sync.Runs;

/// <summary>How a run was asked for.</summary>
public sealed record SyncRunRequest
{
    /// <summary>Plan and report only; nothing is written except the run's record.</summary>
    public bool DryRun { get; init; }

    /// <summary>Apply even when the deactivation guard refuses.</summary>
    public bool Force { get; init; }

    /// <summary>Read everything even when a delta cursor is stored.</summary>
    public bool Full { get; init; }

    /// <summary><c>schedule</c> or <c>command</c>; recorded with the run.</summary>
    public string Trigger { get; init; } = "command";
}

/// <summary>The recorded run and, when the source was read, the plan (the full diff for a dry run).</summary>
public sealed record SyncRunReport(SyncRun Run, ReconcilePlan? Plan);

/// <summary>
/// One run of one source: read (bounded by ReadTimeoutSeconds) → plan → guard → apply → record. A failed or timed-out
/// read, an unknown organization or a guard refusal ends the run without changing the directory and without moving
/// the delta cursor. Never throws for a failed run: the failure is in the returned record.
/// </summary>
public sealed class SyncRunner(IServiceScopeFactory scopes, SyncSourceCatalog catalog, TimeProvider clock, ILogger<SyncRunner> logger)
{
    public async Task<SyncRunReport> RunAsync(ConfiguredSource source, SyncRunRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(request);
        var options = source.Options;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var run = new SyncRun
        {
            Source = options.Name,
            Organization = options.Organization,
            Trigger = request.Trigger,
            Forced = request.Force,
            StartedAt = clock.GetUtcNow(),
        };
        db.SyncRuns.Add(run);
        await db.SaveChangesAsync(ct);
        using var _ = logger.BeginScope(new Dictionary<string, object> { ["SyncSource"] = options.Name, ["SyncRunId"] = run.Id });

        ReconcilePlan? plan = null;
        try
        {
            plan = await ExecuteAsync(scope.ServiceProvider, db, source, run, request, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Sync run {SyncRunId} of {SyncSource} failed", run.Id, options.Name);
            Fail(run, ex is SyncRunFailure ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
        }

        run.FinishedAt = clock.GetUtcNow();
        db.ChangeTracker.Clear();
        db.SyncRuns.Update(run);
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation(
            "Sync run {SyncRunId} of {SyncSource}: {Status}, {ReadKind} read of {UsersRead} users, {Created} created, {Updated} updated, "
            + "{Deactivated} deactivated, {Reactivated} reactivated, {MembershipsChanged} memberships changed, {ErrorCount} errors{AbortedReason}",
            run.Id, run.Source, run.Status, run.Full ? "full" : "delta", run.UsersRead, run.Created, run.Updated, run.Deactivated,
            run.Reactivated, run.MembershipsChanged, run.ErrorCount, run.AbortedReason is null ? "" : $"; {run.AbortedReason}");
        return new SyncRunReport(run, plan);
    }

    private async Task<ReconcilePlan?> ExecuteAsync(
        IServiceProvider services, ScimBridgeDbContext db, ConfiguredSource source, SyncRun run, SyncRunRequest request, CancellationToken ct)
    {
        var options = source.Options;
        var slug = Organization.NormalizeSlug(options.Organization);
        var organizationId = await db.Organizations.Where(o => o.Slug == slug).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct)
            ?? throw new SyncRunFailure($"organization '{options.Organization}' does not exist (create it with: tokens create --org {slug})");
        run.OrganizationId = organizationId;

        var state = await db.SyncSourceStates.AsNoTracking().FirstOrDefaultAsync(s => s.Source == options.Name, ct);
        var full = request.Full || FullRunPolicy.IsDue(options, state, clock.GetUtcNow());
        var snapshot = await ReadAsync(source, full ? null : state!.DeltaState, ct);
        run.Full = snapshot.IsFull;
        run.UsersRead = snapshot.Users.Count;

        var reconciler = services.GetRequiredService<DirectoryReconciler>();
        var policy = new DeactivationPolicy(options.DeactivationThresholdPercent, options.DeactivationThresholdCount);
        var reconcileRequest = new ReconcileRequest(organizationId, options.Name, AuditActor.SyncRun(options.Name, run.Id), policy)
        {
            Force = request.Force,
            DryRun = request.DryRun,
        };
        var outcome = await reconciler.ReconcileAsync(reconcileRequest, snapshot, ct);
        var plan = outcome.Plan;
        run.Errors = plan.Errors.Count == 0 ? null : string.Join('\n', plan.Errors);
        run.ErrorCount = plan.Errors.Count;
        foreach (var error in plan.Errors.Take(20))
        {
            logger.LogWarning("Sync run {SyncRunId} of {SyncSource}: {Problem}", run.Id, options.Name, error);
        }
        if (!outcome.Verdict.Allowed)
        {
            run.Status = SyncRunStatus.Aborted;
            run.AbortedReason = outcome.Verdict.Reason;
            return plan;
        }

        run.Created = plan.Creates.Count;
        run.Updated = plan.Updates.Count;
        run.Deactivated = plan.Deactivations.Count;
        run.Reactivated = plan.Reactivations.Count;
        run.GroupsChanged = plan.GroupsChanged;
        run.MembershipsChanged = plan.MembershipsChanged;
        if (request.DryRun)
        {
            run.Status = SyncRunStatus.DryRun;
            return plan;
        }

        await AdvanceCursorAsync(db, options.Name, snapshot, ct);
        run.Status = SyncRunStatus.Succeeded;
        return plan;
    }

    /// <summary>Reads the source within ReadTimeoutSeconds; any failure becomes a <see cref="SyncRunFailure"/>.</summary>
    private async Task<DirectorySnapshot> ReadAsync(ConfiguredSource source, string? deltaState, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(source.Options.ReadTimeoutSeconds);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var directory = catalog.Create(source);
        try
        {
            // WaitAsync bounds the read even when a source ignores its token.
            return await directory.ReadAsync(deltaState, limit.Token).WaitAsync(timeout, clock, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is OperationCanceledException or TimeoutException)
        {
            throw new SyncRunFailure($"the read of '{source.Name}' did not finish within {source.Options.ReadTimeoutSeconds} s; nothing was changed", ex);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            throw new SyncRunFailure($"the read of '{source.Name}' failed: {ex.Message}; nothing was changed", ex);
        }
        finally
        {
            (directory as IDisposable)?.Dispose();
        }
    }

    private async Task AdvanceCursorAsync(ScimBridgeDbContext db, string source, DirectorySnapshot snapshot, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var state = await db.SyncSourceStates.FirstOrDefaultAsync(s => s.Source == source, ct);
        if (state is null)
        {
            state = new SyncSourceState { Source = source };
            db.SyncSourceStates.Add(state);
        }
        state.DeltaState = snapshot.NextDeltaState;
        state.LastSucceededAt = now;
        if (snapshot.IsFull)
        {
            state.RunsSinceFull = 0;
            state.LastFullRunAt = now;
        }
        else
        {
            state.RunsSinceFull++;
        }
        await db.SaveChangesAsync(ct);
    }

    private static void Fail(SyncRun run, string reason)
    {
        run.Status = SyncRunStatus.Failed;
        run.AbortedReason = reason;
    }
}

/// <summary>A run ended before applying anything, for a reason worth showing an admin as is.</summary>
internal sealed class SyncRunFailure(string message, Exception? inner = null) : Exception(message, inner);
