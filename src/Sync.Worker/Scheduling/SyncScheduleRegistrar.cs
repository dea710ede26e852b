using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Sync.Scheduling;

/// <summary>
/// Brings the persistent job store in line with the configuration at start: one durable job and one cron trigger per
/// enabled, scheduled source; jobs of removed or disabled sources are deleted. A trigger whose cron did not change is
/// kept as stored, so a fire time missed while the service was down counts as a misfire and runs once now
/// (<see cref="CronTriggerMisfireInstruction.FireAndProceed"/>) instead of being silently skipped until the next one.
/// </summary>
internal sealed class SyncScheduleRegistrar(
    ISchedulerFactory schedulers, SyncSourceCatalog catalog, TimeProvider clock, ILogger<SyncScheduleRegistrar> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var wanted = catalog.Sources
            .Where(s => s.Options.Enabled && !string.IsNullOrWhiteSpace(s.Options.Schedule))
            .ToDictionary(s => DirectorySyncJob.KeyFor(s.Name));

        var stored = await scheduler.QueryJobs(new JobQuery { Group = GroupMatcher<JobKey>.GroupEquals(DirectorySyncJob.Group) }, cancellationToken);
        foreach (var stale in stored.Items.Select(j => j.Key).Where(k => !wanted.ContainsKey(k)))
        {
            await scheduler.DeleteJob(stale, cancellationToken);
            logger.LogInformation("Sync schedule of {SyncSource} removed (source disabled or no longer configured)", stale.Name);
        }

        foreach (var (key, source) in wanted)
        {
            var cron = source.Options.Schedule!;
            var existing = await scheduler.GetTrigger(TriggerFor(key), cancellationToken) as ICronTrigger;
            if (existing?.CronExpressionString == cron && await scheduler.Exists(key, cancellationToken))
            {
                logger.LogInformation("Sync source {SyncSource} scheduled ({Cron}), next run {NextRun:u}", source.Name, cron, existing.NextFireTimeUtc);
                continue;
            }

            var job = JobBuilder.Create<DirectorySyncJob>()
                .WithIdentity(key)
                .UsingJobData(DirectorySyncJob.SourceKey, source.Name)
                .StoreDurably()
                .Build();
            var trigger = Trigger(key, cron, clock.GetUtcNow());
            await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
            logger.LogInformation("Sync source {SyncSource} scheduled ({Cron}), next run {NextRun:u}", source.Name, cron, trigger.GetFireTimeAfter(clock.GetUtcNow()));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The cron trigger of a source: fire once now after a missed fire time, then continue on schedule.</summary>
    internal static ITrigger Trigger(JobKey job, string cron, DateTimeOffset startAt) =>
        TriggerBuilder.Create()
            .WithIdentity(TriggerFor(job))
            .ForJob(job)
            .StartAt(startAt)
            .WithCronSchedule(cron, c => c.WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();

    private static TriggerKey TriggerFor(JobKey job) => new(job.Name, job.Group);
}
