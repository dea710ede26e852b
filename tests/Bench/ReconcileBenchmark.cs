using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;
using ScimBridge.Sync.Runs;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Bench;

/// <summary>
/// The reconcile path alone (no directory server): a full sync of USERS users in USERS/100 groups into an empty SQLite
/// database, a no-change re-sync, and a re-sync with 100 changes, each through the real runner. The source hands over
/// a ready snapshot, so the figures are what a source's read time adds to. Then 5 % of the users leave (deactivations,
/// forced past the guard) and come back (reactivations).
/// </summary>
public static class ReconcileBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var groups = Math.Max(1, users / 100);
        var factory = new SnapshotSourceFactory();
        await using var host = await SyncBenchHost.CreateAsync(
            new Dictionary<string, string?> { ["Name"] = "bench", ["Type"] = "Snapshot" },
            services => services.AddSingleton<IDirectorySourceFactory>(factory));
        Console.WriteLine($"Reconcile benchmark: {Environment.ProcessorCount} cores, {users:N0} users, {groups:N0} groups, SQLite");

        factory.Next = Snapshot(users, groups, changed: 0);
        var full = await TimedAsync("full sync into an empty database", host);
        var again = await TimedAsync("no-change re-sync", host);
        factory.Next = Snapshot(users, groups, changed: 100);
        var changed = await TimedAsync("re-sync with 100 changed users", host);
        factory.Next = Snapshot(users, groups, changed: 100, departed: users / 20);
        var departed = await TimedAsync("re-sync with 5 % of users gone", host, new SyncRunRequest { Force = true });
        factory.Next = Snapshot(users, groups, changed: 100);
        var returned = await TimedAsync("re-sync with them back", host);

        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {peak:F0} MiB"));
        return full && again && changed && departed && returned ? 0 : 1;
    }

    private static async Task<bool> TimedAsync(string label, SyncBenchHost host, SyncRunRequest? request = null)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var (run, _) = await host.RunAsync(request);
        var elapsed = Stopwatch.GetElapsedTime(started);
        process.Refresh();
        // CPU time next to wall time: on a shared, loaded machine the wall time says more about the neighbours.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-36} {elapsed.TotalSeconds,7:F2} s wall, {(process.TotalProcessorTime - cpu).TotalSeconds,6:F2} s CPU  {SyncBenchHost.Describe(run)}"));
        return run.Status == SyncRunStatus.Succeeded;
    }

    /// <summary>
    /// Users k0..k(n-1), each in one of <paramref name="groups"/> groups; the first <paramref name="changed"/> renamed,
    /// every twentieth from the start left out while <paramref name="departed"/> are.
    /// </summary>
    private static DirectorySnapshot Snapshot(int users, int groups, int changed, int departed = 0)
    {
        var list = new List<SourceUser>(users);
        var members = new List<string>[groups];
        for (var g = 0; g < groups; g++)
        {
            members[g] = [];
        }
        for (var i = 0; i < users; i++)
        {
            if (i % 20 == 0 && i / 20 < departed)
            {
                continue;
            }

            var name = i < changed ? $"renamed{i}@bench.example" : $"user{i}@bench.example";
            var user = new SourceUser($"key-{i:D7}", new UserProfile
            {
                UserName = name,
                ExternalId = $"key-{i:D7}",
                Name = new PersonName("User", i.ToString(CultureInfo.InvariantCulture)),
                DisplayName = $"User {i}",
                Title = "Agent",
                Emails = [new EmailAddress(name, "work", Primary: true)],
                PhoneNumbers = [new PhoneNumber($"+1 425 555 {i % 10000:D4}", "work")],
                Enterprise = new EnterpriseAttributes(EmployeeNumber: i.ToString(CultureInfo.InvariantCulture), Department: $"Dept {i % 50}"),
            }, Enabled: true);
            list.Add(user);
            members[i % groups].Add(user.Key);
        }
        return new DirectorySnapshot
        {
            IsFull = true,
            Users = list,
            Groups = [.. Enumerable.Range(0, groups).Select(g => new SourceGroup($"group-{g:D5}", $"Group {g}") { MemberUserKeys = members[g] })],
        };
    }
}
