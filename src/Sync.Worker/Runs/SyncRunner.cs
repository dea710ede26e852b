using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
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

/// <summary>
/// The recorded run and, when the source was read, the plan (the full diff for a dry run); for a dry run with a
/// mapping file in force, the team and role changes that would follow; for a failed run, what failed (for --verbose).
/// </summary>
public sealed record SyncRunReport(SyncRun Run, ReconcilePlan? Plan)
{
    public MembershipPlan? Mapping { get; init; }

    /// <summary>Names of the users in <see cref="Mapping"/>, by id.</summary>
    public IReadOnlyDictionary<Guid, string> MappingUserNames { get; init; } = new Dictionary<Guid, string>();

    public Exception? Failure { get; init; }
}

/// <summary>
/// One run of one source: read (bounded by ReadTimeoutSeconds) → plan → guard → apply → record. A failed or timed-out
/// read, an unknown organization or a guard refusal ends the run without changing the directory and without moving
/// the delta cursor. Never throws for a failed run: the failure is in the returned record.
/// </summary>
public sealed class SyncRunner(
    IServiceScopeFactory scopes, SyncSourceCatalog catalog, SyncRunLeases leases, MappingWatcher mappings, IOptions<SyncOptions> syncOptions,
    TimeProvider clock, ILogger<SyncRunner> logger)
{
    public async Task<SyncRunReport> RunAsync(ConfiguredSource source, SyncRunRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(request);
        var options = source.Options;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var slug = Organization.NormalizeSlug(options.Organization);
        var now = clock.GetUtcNow();
        var basis = await SyncRunRows.ReadBasisAsync(db, options.Name, slug, ct);
        // A read mostly waits for the source, and needs only the cursor and whether to read in full: it starts now,
        // before the run claims the source, and is used only if the claim succeeds and what it was started from still
        // holds afterwards (ExecuteAsync). It never writes; the directory is written only once the run holds the source.
        await using var early = basis.OrganizationId is not null && !leases.IsHeld(basis, now)
            ? StartRead(source, ReadInput(options, request, basis, now), ct)
            : null;
        var run = new SyncRun
        {
            Source = options.Name,
            Organization = options.Organization,
            OrganizationId = basis.OrganizationId,
            Trigger = request.Trigger,
            Forced = request.Force,
            Full = request.Full,
            StartedAt = now,
            LeaseExpiresAt = now + leases.Duration,
        };
        // Runs whose process died are marked first, so that their rows stop holding the source.
        if (basis.Runs.Any(r => r.Status == SyncRunStatus.Running && leases.IsExpired(r, now)))
        {
            await leases.AbandonExpiredAsync(db, options.Name, ct);
        }
        if (await StartAsync(db, run, ct) is { } running)
        {
            return new SyncRunReport(running, null);
        }
        using var _ = logger.BeginScope(new Dictionary<string, object> { ["SyncSource"] = options.Name, ["SyncRunId"] = run.Id });
        logger.LogDebug("Sync run {SyncRunId} of {SyncSource} started", run.Id, options.Name);

        var result = new Execution();
        Exception? failure = null;
        await using (leases.Hold(run.Id))
        {
            try
            {
                result = await ExecuteAsync(scope.ServiceProvider, db, source, run, request, early, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                failure = ex;
                if (ex is SyncRunFailedException)
                {
                    // Expected (directory down, wrong password): the reason says it all; the stack trace only at debug level.
                    logger.LogError("Sync run {SyncRunId} of {SyncSource} failed: {Reason}", run.Id, options.Name, ex.Message);
                    logger.LogDebug(ex, "Sync run {SyncRunId} of {SyncSource} failed", run.Id, options.Name);
                }
                else
                {
                    logger.LogError(ex, "Sync run {SyncRunId} of {SyncSource} failed", run.Id, options.Name);
                }
                Fail(run, ex is SyncRunFailedException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
            }

            run.FinishedAt = clock.GetUtcNow();
            db.DiscardUnsaved();
            db.SyncRuns.Update(run);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        logger.LogInformation(
            "Sync run {SyncRunId} of {SyncSource}: {Status}, {ReadKind} read of {UsersRead} users, {Created} created, {Updated} updated, "
            + "{Deactivated} deactivated, {Reactivated} reactivated, {MembershipsChanged} memberships changed, {ErrorCount} errors{AbortedReason}",
            run.Id, run.Source, run.Status, run.Full ? "full" : "delta", run.UsersRead, run.Created, run.Updated, run.Deactivated,
            run.Reactivated, run.MembershipsChanged, run.ErrorCount, run.AbortedReason is null ? "" : $"; {run.AbortedReason}");
        // The process's totals so far: in a `sync run` command, what starting the process and the run cost in CPU and
        // in just-in-time compilation (a short-lived process spends a noticeable part of its time there).
        logger.LogDebug(
            "Process so far: CPU {CpuMs} ms, {JitMethods} methods compiled just in time in {JitMs} ms, garbage collections {Gen0}/{Gen1}/{Gen2} (gen 0/1/2) pausing {GcPauseMs} ms, peak working set {PeakMiB} MiB",
            (long)Environment.CpuUsage.TotalTime.TotalMilliseconds, System.Runtime.JitInfo.GetCompiledMethodCount(),
            (long)System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), (long)GC.GetTotalPauseDuration().TotalMilliseconds,
            System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 >> 20);
        return new SyncRunReport(run, result.Plan) { Mapping = result.Mapping, MappingUserNames = result.MappingUserNames, Failure = failure };
    }

    private sealed record Execution(ReconcilePlan? Plan = null, MembershipPlan? Mapping = null)
    {
        public IReadOnlyDictionary<Guid, string> MappingUserNames { get; init; } = new Dictionary<Guid, string>();
    }

    private async Task<Execution> ExecuteAsync(
        IServiceProvider services, ScimBridgeDbContext db, ConfiguredSource source, SyncRun run, SyncRunRequest request, SourceRead? early,
        CancellationToken ct)
    {
        var options = source.Options;
        var slug = Organization.NormalizeSlug(options.Organization);
        // Read again now that the run holds the source: a run may have finished or been marked abandoned since.
        var basis = await SyncRunRows.ReadBasisAsync(db, options.Name, slug, ct);
        var organizationId = basis.OrganizationId
            ?? throw new SyncRunFailedException($"organization '{options.Organization}' does not exist (create it with: tokens create --org {slug})");
        var input = ReadInput(options, request, basis, clock.GetUtcNow());
        run.Full = input.Full;
        // A run after an abandoned one reads in full and recomputes every team membership: the abandoned run may have
        // written some batches and not others, and an uninterrupted run would have recomputed what they touched.
        if (input.Recovering)
        {
            logger.LogInformation("Sync run {SyncRunId} of {SyncSource}: an earlier run was abandoned; reading in full", run.Id, options.Name);
        }
        await using var restarted = early is not null && early.IsFor(input) ? null : StartRead(source, input, ct);
        if (restarted is not null && early is not null)
        {
            logger.LogDebug("Sync run {SyncRunId} of {SyncSource}: the state changed after the read started; reading again", run.Id, options.Name);
            await early.DisposeAsync();
        }
        var read = restarted ?? early!;

        // The mapping version in force, as the service would have it: a valid file on disk that the guard lets through
        // is taken into force first (a dry run only looks).
        var mapping = await mappings.PrepareAsync(slug, apply: !request.DryRun, ct);

        logger.LogDebug("Sync run {SyncRunId} of {SyncSource}: mapping prepared, reading (process CPU so far {CpuMs} ms)",
            run.Id, options.Name, (long)Environment.CpuUsage.TotalTime.TotalMilliseconds);
        // What the directory holds for the source does not depend on the read, and a read mostly waits for the source:
        // it is read meanwhile (with the stored members of the groups the read tells it has), on the run's context,
        // which nothing else uses until both are done.
        var stored = StoredSourceRead.Start(db, organizationId, options.Name, ct);
        read.TellGroupsTo(stored.Progress);
        DirectorySnapshot snapshot;
        try
        {
            snapshot = await read.Snapshot;
        }
        finally
        {
            stored.SourceReadEnded();
            await ((Task)stored.Completion).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        run.Full = snapshot.IsFull;
        run.UsersRead = snapshot.Users.Count;

        var reconciler = services.GetRequiredService<DirectoryReconciler>();
        var policy = new DeactivationPolicy(options.DeactivationThresholdPercent, options.DeactivationThresholdCount);
        var actor = AuditActor.SyncRun(options.Name, run.Id);
        var reconcileRequest = new ReconcileRequest(organizationId, options.Name, actor, policy)
        {
            Force = request.Force,
            DryRun = request.DryRun,
            ChangesPerTransaction = syncOptions.Value.ChangesPerTransaction,
            Stored = await stored.Completion,
        };
        var outcome = await reconciler.ReconcileAsync(reconcileRequest, snapshot, ct);
        var plan = outcome.Plan;
        run.Errors = plan.Errors.Count == 0 ? null : string.Join('\n', plan.Errors);
        run.ErrorCount = plan.Errors.Count;
        foreach (var error in plan.Errors.Take(20))
        {
            logger.LogWarning("Sync run {SyncRunId} of {SyncSource}: {Problem}", run.Id, options.Name, error);
        }
        if (request.DryRun || outcome.Verdict.Allowed)
        {
            // A dry run reports what it would do even when the guard would refuse it: its counts match its diff.
            Count(run, plan);
        }
        var preview = request.DryRun && mapping is not null
            ? await ReconcileMappingPreview.PlanAsync(db, organizationId, mapping, plan, ct)
            : null;
        var execution = new Execution(plan, preview?.Plan) { MappingUserNames = preview?.UserNames ?? new Dictionary<Guid, string>() };
        if (!outcome.Verdict.Allowed)
        {
            run.Status = SyncRunStatus.Aborted;
            run.AbortedReason = outcome.Verdict.Reason;
            return execution;
        }
        if (request.DryRun)
        {
            run.Status = SyncRunStatus.DryRun;
            return execution;
        }

        if (input.Recovering)
        {
            await services.GetRequiredService<MembershipProvisioning>().RecomputeOrganizationAsync(organizationId, actor, ct);
        }
        await AdvanceCursorAsync(db, options.Name, snapshot, ct);
        run.Status = SyncRunStatus.Succeeded;
        return execution;
    }

    private static void Count(SyncRun run, ReconcilePlan plan)
    {
        run.Created = plan.Creates.Count;
        run.Updated = plan.Updates.Count;
        run.Deactivated = plan.Deactivations.Count;
        run.Reactivated = plan.Reactivations.Count;
        run.GroupsChanged = plan.GroupsChanged;
        run.MembershipsChanged = plan.MembershipsChanged;
    }

    /// <summary>
    /// Records the run as running, unless another run of the source is: the database keeps at most one running run per
    /// source (a unique index), so of two runs starting at once, in one process or several, exactly one proceeds. The
    /// other is recorded as aborted and returned, with the run it met.
    /// </summary>
    private async Task<SyncRun?> StartAsync(ScimBridgeDbContext db, SyncRun run, CancellationToken ct)
    {
        if (await SyncRunRows.TryClaimAsync(db, run, ct))
        {
            return null;
        }

        // Quartz keeps scheduled fires apart; this keeps a `sync run` in another process off a run in progress.
        var running = await db.SyncRuns.AsNoTracking()
            .Where(r => r.Source == run.Source && r.Status == SyncRunStatus.Running)
            .OrderBy(r => r.Id)
            .FirstOrDefaultAsync(ct);
        run.Id = 0;
        run.Status = SyncRunStatus.Aborted;
        run.AbortedReason = running is null
            ? $"already running: another run of '{run.Source}' was in progress; nothing was changed"
            : $"already running: run {running.Id} of '{running.Source}' (started {running.StartedAt:u}) is still in progress; nothing was changed";
        run.FinishedAt = clock.GetUtcNow();
        run.LeaseExpiresAt = null;
        db.SyncRuns.Add(run);
        await db.SaveChangesAsync(ct);
        logger.LogWarning("Sync run {SyncRunId} of {SyncSource}: {Reason}", run.Id, run.Source, run.AbortedReason);
        return run;
    }

    /// <summary>What a run reads: in full, or the changes since the cursor; and whether it heals after an abandoned run.</summary>
    private readonly record struct SourceReadInput(bool Full, string? Cursor, bool Recovering);

    private SourceReadInput ReadInput(SyncSourceOptions options, SyncRunRequest request, SyncRunBasis basis, DateTimeOffset now)
    {
        var recovering = leases.NeedsRecovery(basis, now);
        var full = request.Full || recovering || FullRunPolicy.IsDue(options, basis.State, now);
        return new SourceReadInput(full, full ? null : basis.State!.DeltaState, recovering);
    }

    private SourceRead StartRead(ConfiguredSource source, SourceReadInput input, CancellationToken ct) =>
        new(input, (progress, token) => ReadAsync(source, input.Cursor, progress, token), ct);

    /// <summary>
    /// A read of the source under way, which may have started before the run knew where to tell its progress. Disposing
    /// it cancels it without waiting: a source that ignores its token would otherwise hold the run up (its own timeout
    /// still ends it), and what it returns is never used.
    /// </summary>
    private sealed class SourceRead : IAsyncDisposable
    {
        private readonly CancellationTokenSource _cancel;
        private readonly TaskCompletionSource<IReadOnlyCollection<string>> _groupsRead = new();
        private int _disposed;

        public SourceRead(SourceReadInput input, Func<DirectoryReadProgress, CancellationToken, Task<DirectorySnapshot>> read, CancellationToken ct)
        {
            Input = input;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var token = _cancel.Token;
            var progress = new DirectoryReadProgress { GroupsRead = keys => _groupsRead.TrySetResult(keys) };
            Snapshot = Task.Run(() => read(progress, token), CancellationToken.None);
        }

        public SourceReadInput Input { get; }

        public Task<DirectorySnapshot> Snapshot { get; }

        /// <summary>Whether this read is the one <paramref name="input"/> asks for.</summary>
        public bool IsFor(SourceReadInput input) => Input.Full == input.Full && Input.Cursor == input.Cursor;

        /// <summary>
        /// Tells <paramref name="progress"/> the groups the read has: now when the read told them already, else as the
        /// read tells them (on its thread, so before the read ends).
        /// </summary>
        public void TellGroupsTo(DirectoryReadProgress progress) =>
            _ = _groupsRead.Task.ContinueWith(static (told, progress) => ((DirectoryReadProgress)progress!).GroupsRead?.Invoke(told.Result),
                progress, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            await _cancel.CancelAsync();
            _ = Snapshot.ContinueWith(static (read, cancel) =>
            {
                _ = read.Exception;
                ((CancellationTokenSource)cancel!).Dispose();
            }, _cancel, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Reads the source within ReadTimeoutSeconds; any failure becomes a <see cref="SyncRunFailedException"/>.</summary>
    private async Task<DirectorySnapshot> ReadAsync(ConfiguredSource source, string? deltaState, DirectoryReadProgress progress, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(source.Options.ReadTimeoutSeconds);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var directory = catalog.Create(source);
        try
        {
            // WaitAsync bounds the read even when a source ignores its token.
            return await directory.ReadAsync(deltaState, progress, limit.Token).WaitAsync(timeout, clock, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is OperationCanceledException or TimeoutException)
        {
            throw new SyncRunFailedException($"the read of '{source.Name}' did not finish within {source.Options.ReadTimeoutSeconds} s; nothing was changed", ex);
        }
        catch (DirectoryReadException ex) when (!ct.IsCancellationRequested)
        {
            throw new SyncRunFailedException($"the read failed: {ex.Message.TrimEnd('.')}; nothing was changed", ex);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            throw new SyncRunFailedException($"the read of '{source.Name}' failed: {ex.Message}; nothing was changed", ex);
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
public sealed class SyncRunFailedException(string message, Exception? inner = null) : Exception(message, inner);
