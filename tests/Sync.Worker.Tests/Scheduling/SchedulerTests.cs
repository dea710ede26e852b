using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Scheduling;
using ScimBridge.Sync.Tests.Runs;
using static ScimBridge.Sync.Tests.Reconcile.PlannerData;

namespace ScimBridge.Sync.Tests.Scheduling;

/// <summary>
/// The Quartz scheduler with its persistent SQLite job store, as the service runs it. One class: Quartz keeps one
/// scheduler per name in the process, so these tests must not run in parallel with each other.
/// </summary>
public sealed class SchedulerTests
{
    private static Dictionary<string, string?> Scheduled(string cron) => new()
    {
        ["ScimBridge:Sync:Sources:0:Schedule"] = cron,
        ["ScimBridge:Sync:MisfireThresholdSeconds"] = "1",
    };

    /// <summary>Finished runs in start order.</summary>
    private static Task<List<SyncRun>> FinishedRunsAsync(SyncTestHost host) =>
        host.WithDbAsync(db => db.SyncRuns.AsNoTracking().Where(r => r.Status != SyncRunStatus.Running).OrderBy(r => r.Id).ToListAsync());

    private static async Task<List<SyncRun>> WaitForRunsAsync(SyncTestHost host, int count)
    {
        await Poll.UntilAsync(async () => (await FinishedRunsAsync(host)).Count >= count, $"{count} finished runs");
        return await FinishedRunsAsync(host);
    }

    [Fact]
    public async Task Scheduled_source_runs_on_its_cron_and_its_fires_never_overlap()
    {
        var directory = new FakeDirectory();
        directory.Read = async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1500), ct);
            return Full(IncomingRange(3));
        };
        // Every second, while each read takes 1.5 s: fires keep arriving while a run is in progress.
        await using var host = await SyncTestHost.CreateAsync(Scheduled("0/1 * * * * ?"), directory: directory, start: true);
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await WaitForRunsAsync(host, 1);
        // A second trigger for the same source (as an admin's "run now" through Quartz would be).
        await scheduler.TriggerJob(DirectorySyncJob.KeyFor(SyncTestHost.Source), new JobDataMap(), CancellationToken.None);

        var runs = await WaitForRunsAsync(host, 4);

        Assert.Equal(1, directory.MaxConcurrentReads);
        Assert.All(runs, r => Assert.Equal(("schedule", SyncRunStatus.Succeeded), (r.Trigger, r.Status)));
        Assert.Equal(3, runs[0].Created);
        Assert.All(runs.Skip(1), r => Assert.Equal(0, r.Created + r.Updated + r.Deactivated));
        // Runs follow one another: none starts before the previous one finished.
        Assert.All(runs.Zip(runs.Skip(1)), pair => Assert.True(pair.Second.StartedAt >= pair.First.FinishedAt));
    }

    [Fact]
    public async Task Fire_time_missed_while_the_service_was_down_runs_once_at_start()
    {
        var folder = Path.Combine(Path.GetTempPath(), "scimbridge-sync-tests", Guid.NewGuid().ToString("N"));
        var settings = Scheduled("0 0 3 * * ?"); // daily at 03:00: never due during the test by itself
        var directory = new FakeDirectory();
        directory.Returns(Full(IncomingRange(3)));

        await using (var first = await SyncTestHost.CreateAsync(settings, folder, start: true, directory))
        {
            var scheduler = await first.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            Assert.True(await scheduler.Exists(DirectorySyncJob.KeyFor(SyncTestHost.Source), CancellationToken.None));
        }
        Assert.Equal(0, directory.Reads);

        // The service was down at the last 03:00: move the stored fire time a day back, as if it had not fired.
        await using (var store = new SqliteConnection($"Data Source={Path.Combine(folder, "scimbridge.quartz.db")}"))
        {
            await store.OpenAsync();
            await using var update = store.CreateCommand();
            update.CommandText = "UPDATE QRTZ_TRIGGERS SET NEXT_FIRE_TIME = NEXT_FIRE_TIME - $day";
            update.Parameters.AddWithValue("$day", TimeSpan.FromDays(1).Ticks);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        SqliteConnection.ClearAllPools();

        await using var second = await SyncTestHost.CreateAsync(settings, folder, start: true, directory);
        await WaitForRunsAsync(second, 1);

        // Quartz moves the trigger on when it fires, before the run: once the catch-up run is finished, a next fire time
        // still in the past would mean another catch-up fire to come. In the future, the missed day fired once.
        var next = await (await second.Services.GetRequiredService<ISchedulerFactory>().GetScheduler())
            .GetTrigger(new TriggerKey(SyncTestHost.Source, DirectorySyncJob.Group), CancellationToken.None);
        Assert.True(next!.NextFireTimeUtc > TimeProvider.System.GetUtcNow(), "after the catch-up run the schedule continues at the next 03:00");
        var run = Assert.Single(await second.WithDbAsync(db => db.SyncRuns.AsNoTracking().ToListAsync()));
        Assert.Equal(("schedule", SyncRunStatus.Succeeded), (run.Trigger, run.Status));
        Assert.Equal(1, directory.Reads);
    }
}
