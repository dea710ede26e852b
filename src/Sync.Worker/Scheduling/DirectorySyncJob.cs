using Microsoft.Extensions.Logging;
using Quartz;
using ScimBridge.Sync.Runs;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Sync.Scheduling;

/// <summary>
/// Runs one source on its schedule. Two fires of one source never overlap (also across clustered instances); a
/// failed run is recorded by <see cref="SyncRunner"/> and logged, and the next fire simply tries again.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DirectorySyncJob(SyncSourceCatalog catalog, SyncRunner runner, ILogger<DirectorySyncJob> logger) : IJob
{
    public const string Group = "sync";
    public const string SourceKey = "source";

    public static JobKey KeyFor(string source) => new(source, Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.MergedJobDataMap.GetString(SourceKey) ?? context.JobDetail.Key.Name;
        var source = catalog.Find(name);
        if (source is null)
        {
            logger.LogWarning("Scheduled sync of {SyncSource} skipped: the source is no longer configured", name);
            return;
        }

        try
        {
            await runner.RunAsync(source, new SyncRunRequest { Trigger = "schedule" }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Scheduled sync of {SyncSource} was interrupted by shutdown", name);
        }
        catch (Exception ex)
        {
            // The runner records failures itself; this is a failure to record (e.g. the database is down).
            logger.LogError(ex, "Scheduled sync of {SyncSource} could not run", name);
        }
    }
}
