using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Tests.Ldap;

namespace ScimBridge.Sync.Tests.Scheduling;

/// <summary>
/// Several instances of the service on one PostgreSQL database share Quartz's clustered job store: each scheduled fire
/// runs on one of them only, and when one stops the others carry on. The instances are real processes of the service's
/// executable, since Quartz keeps one scheduler per name in a process. They read a slapd of their own, so that the
/// test (which waits out a crash recovery) runs beside the shared slapd's collection rather than in it.
/// </summary>
public sealed class ClusteredSchedulerTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Two_workers_run_each_fire_once_and_one_carries_on_when_the_other_stops()
    {
        var tree = await LdapTree.StartServerAsync("cluster");
        using var slapd = tree.Server;
        var ada = tree.AddUser("ada");
        tree.AddGroup("staff", ada, tree.AddUser("bob"));
        var connectionString = postgres.ConnectionString;
        await using (var db = Context(connectionString))
        {
            await db.Database.MigrateAsync();
            db.Organizations.Add(new Organization { Slug = "acme", Name = "Acme", CreatedAt = DateTimeOffset.UnixEpoch });
            await db.SaveChangesAsync();
        }

        await using var first = WorkerProcess.Start(connectionString, tree);
        await using var second = WorkerProcess.Start(connectionString, tree);
        await EventuallyAsync(async () => await ScalarAsync(connectionString, "SELECT count(*) FROM qrtz_scheduler_state") == 2,
            "both workers checked in to the cluster", first, second);
        await EventuallyAsync(async () => (await RunsAsync(connectionString)).Count >= 2, "the first scheduled runs", first, second);

        // The source is due every second. Two schedulers each with a store of its own would run it about twice a second:
        // the runs' own start times show one run per second of schedule (with a few seconds' slack for late fires).
        var before = (await RunsAsync(connectionString)).Count;
        await EventuallyAsync(async () => (await RunsAsync(connectionString)).Count >= before + 10, "ten more scheduled runs", first, second);
        var runs = await RunsAsync(connectionString);
        var recent = runs.Skip(before).ToList();
        var span = recent[^1].StartedAt - recent[0].StartedAt;
        Assert.True(recent.Count <= span.TotalSeconds + 4, $"{recent.Count} runs started within {span.TotalSeconds:0.0} s: more than one per fire");
        Assert.All(runs, r => Assert.Equal(("schedule", SyncRunStatus.Succeeded), (r.Trigger, r.Status)));
        Assert.All(runs.Zip(runs.Skip(1)), pair => Assert.True(pair.Second.StartedAt >= pair.First.FinishedAt, "runs of one source never overlap"));
        Assert.Equal(2, runs.Sum(r => r.Created));

        // A crash, not a clean stop: a fire the first worker held is recovered by the second once the first misses its check-in.
        await first.DisposeAsync();
        var afterStop = (await RunsAsync(connectionString)).Count;
        await EventuallyAsync(async () => (await RunsAsync(connectionString)).Count >= afterStop + 3, "runs after one worker crashed", second);
    }

    private static PostgresScimBridgeDbContext Context(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgresScimBridgeDbContext>().UseNpgsql(connectionString).Options);

    /// <summary>Finished runs in start order.</summary>
    private static async Task<List<SyncRun>> RunsAsync(string connectionString)
    {
        await using var db = Context(connectionString);
        return await db.SyncRuns.AsNoTracking().Where(r => r.Status != SyncRunStatus.Running).OrderBy(r => r.StartedAt).ToListAsync();
    }

    /// <summary>The query's single value; 0 while the workers have not yet created Quartz's tables.</summary>
    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    /// <summary>Recovery after a crash waits for the check-in interval (10 s) and threshold (30 s) of the cluster: well within the deadline.</summary>
    private static Task EventuallyAsync(Func<Task<bool>> condition, string what, params WorkerProcess[] workers) =>
        Poll.UntilAsync(condition, what, () => $"Worker output:\n{string.Join("\n---\n", workers.Select(w => w.Output))}");

    /// <summary>The service in its own process, on a port of its choosing, with source <c>corp</c> reading the tree every second.</summary>
    private sealed class WorkerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _folder;
        private readonly System.Text.StringBuilder _output = new();

        private WorkerProcess(Process process, string folder)
        {
            _process = process;
            _folder = folder;
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static WorkerProcess Start(string connectionString, LdapTree tree)
        {
            var folder = Path.Combine(Path.GetTempPath(), "scimbridge-sync-tests", Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(folder);
            var info = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "ScimBridge.Scim.dll")}\" --urls http://127.0.0.1:0")
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            const string source = "ScimBridge:Sync:Sources:0:";
            var settings = tree.SourceConfiguration(source);
            settings["ScimBridge:Database:Provider"] = "Postgres";
            settings["ScimBridge:Database:ConnectionString"] = connectionString;
            settings["ScimBridge:Mappings:Path"] = Path.Combine(folder, "mappings");
            settings["ScimBridge:Sync:MisfireThresholdSeconds"] = "1";
            settings["Serilog:MinimumLevel:Default"] = "Warning";
            settings[source + "Name"] = "corp";
            settings[source + "Organization"] = "acme";
            settings[source + "Schedule"] = "0/1 * * * * ?";
            foreach (var (key, value) in settings)
            {
                // Environment variables spell the configuration's ':' as '__'.
                info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }

            var worker = new WorkerProcess(Process.Start(info)!, folder);
            worker._process.OutputDataReceived += (_, e) => worker.Append(e.Data);
            worker._process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
            worker._process.BeginOutputReadLine();
            worker._process.BeginErrorReadLine();
            return worker;
        }

        private bool _disposed;

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            try
            {
                System.IO.Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
