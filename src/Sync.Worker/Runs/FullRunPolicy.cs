using Quartz;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Sync.Runs;

/// <summary>
/// Incremental reads miss deletes and moves out of scope, so a source reads in full on its first run, when it has no
/// cursor, every <c>FullSyncEveryRuns</c> runs, or when <c>FullSyncSchedule</c> has fired since the last full run.
/// </summary>
public static class FullRunPolicy
{
    public static bool IsDue(SyncSourceOptions options, SyncSourceState? state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (state?.DeltaState is null || state.LastFullRunAt is not { } lastFull)
        {
            return true;
        }
        if (!string.IsNullOrWhiteSpace(options.FullSyncSchedule))
        {
            var next = new CronExpression(options.FullSyncSchedule).GetNextValidTimeAfter(lastFull);
            if (next is { } due && due <= now)
            {
                return true;
            }
            if (options.FullSyncEveryRuns is null)
            {
                return false;
            }
        }
        var every = options.FullSyncEveryRuns ?? SyncSourceOptions.DefaultFullSyncEveryRuns;
        return state.RunsSinceFull + 1 >= every;
    }
}
