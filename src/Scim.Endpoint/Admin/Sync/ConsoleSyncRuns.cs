using System.Collections.Concurrent;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Runs;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Scim.Admin.Sync;

/// <summary>What a person started from the console.</summary>
public enum StartedKind
{
    Run,
    DryRun,
    ForcedRun,
}

/// <summary>
/// A run started from the console, running in the background: its state while it runs, then the run's record and,
/// for a dry run, the diff exactly as <c>sync run --dry-run</c> prints it.
/// </summary>
public sealed class StartedRun(Guid id, Guid organizationId, string source, StartedKind kind, string startedBy, DateTimeOffset startedAt)
{
    /// <summary>Longest diff kept for the page; <c>sync run --dry-run</c> prints all of a larger one.</summary>
    public const int MaxReportChars = 2_000_000;

    public Guid Id { get; } = id;
    public Guid OrganizationId { get; } = organizationId;
    public string Source { get; } = source;
    public StartedKind Kind { get; } = kind;
    public string StartedBy { get; } = startedBy;
    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>The run's record once the run ended; null while it runs.</summary>
    public SyncRun? Run { get; internal set; }

    /// <summary>What the run printed (the diff and the counts); null while it runs.</summary>
    public string? Report { get; internal set; }

    public bool Truncated { get; internal set; }

    /// <summary>Set when the run could not even be recorded (e.g. the database was unreachable).</summary>
    public string? Failure { get; internal set; }

    public bool Finished => Run is not null || Failure is not null;
}

/// <summary>
/// Runs sync sources for the console in the background, through the same <see cref="SyncRunner"/> as <c>sync run</c>
/// and the scheduler, so a request never waits for a directory read. The page of a started run shows its state until it
/// ends (the run's record, with its lease, is in the database from the start, so <c>sync runs</c> sees it too). The
/// last <see cref="Kept"/> started runs are kept in this process for their pages; a run stops when the service does
/// (its lease then lapses and the next run takes over, as after any crash).
/// </summary>
public sealed class ConsoleSyncRuns(SyncRunner runner, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<ConsoleSyncRuns> logger)
{
    public const int Kept = 100;

    private readonly ConcurrentDictionary<Guid, StartedRun> _started = new();

    public StartedRun Start(ConfiguredSource source, Guid organizationId, StartedKind kind, string startedBy, bool full)
    {
        ArgumentNullException.ThrowIfNull(source);
        var started = new StartedRun(Guid.NewGuid(), organizationId, source.Name, kind, startedBy, clock.GetUtcNow());
        _started[started.Id] = started;
        Trim();
        var request = new SyncRunRequest
        {
            DryRun = kind == StartedKind.DryRun,
            Force = kind == StartedKind.ForcedRun,
            Full = full,
            Trigger = "console",
        };
        _ = Task.Run(() => RunAsync(started, source, request, lifetime.ApplicationStopping));
        return started;
    }

    /// <summary>A started run of the organization, or null (also for another organization's).</summary>
    public StartedRun? Find(Guid organizationId, Guid id) =>
        _started.TryGetValue(id, out var started) && started.OrganizationId == organizationId ? started : null;

    private async Task RunAsync(StartedRun started, ConfiguredSource source, SyncRunRequest request, CancellationToken ct)
    {
        try
        {
            var report = await runner.RunAsync(source, request, ct);
            await using var text = new StringWriter();
            await SyncRunReportWriter.WriteAsync(report, request.DryRun, text, ct);
            var written = text.ToString();
            started.Truncated = written.Length > StartedRun.MaxReportChars;
            started.Report = started.Truncated ? written[..StartedRun.MaxReportChars] : written;
            started.Run = report.Run;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            started.Failure = "the service stopped before the run ended; the next run takes over";
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Sync run of {SyncSource} started in the console by {Person} could not run", source.Name, started.StartedBy);
            started.Failure = $"the run could not be started or recorded: {ex.Message}";
        }
    }

    private void Trim()
    {
        foreach (var old in _started.Values.OrderByDescending(s => s.StartedAt).Skip(Kept).ToList())
        {
            _started.TryRemove(old.Id, out _);
        }
    }
}
