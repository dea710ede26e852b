using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;
using ScimBridge.Sync.Runs;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Bench;

/// <summary>
/// <c>reconcile-state [USERS [ROUNDS]]</c>: the state load and the plan alone, in one warm process, against the
/// <see cref="DenseDirectory"/> synced once (no directory server; the snapshots are built in memory). Each round loads
/// and plans a no-change read and a change round (5 % of users gone, 20 added, 3 disabled, a tenth of the groups read
/// again with one of them renamed) on a fresh context, and prints the CPU of each phase, to compare a change to the
/// loader or the planner before and after without the read and the writes around them.
/// </summary>
public static class ReconcileStateBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var directory = DenseDirectory.Create(count);
        var factory = new SnapshotSourceFactory();
        await using var host = await SyncBenchHost.CreateAsync(
            new Dictionary<string, string?> { ["Name"] = "bench", ["Type"] = "Snapshot" },
            services => services.AddSingleton<IDirectorySourceFactory>(factory));

        var full = FullRead(directory);
        factory.Next = full;
        var clock = Stopwatch.StartNew();
        var (run, _) = await host.RunAsync();
        Console.WriteLine(Invariant($"full sync of {count:N0} users, {directory.Edges:N0} member values: {clock.Elapsed.TotalSeconds:F1} s; {SyncBenchHost.Describe(run)}"));

        var unchanged = new DirectorySnapshot { IsFull = false, UserKeysInScope = full.Users.Select(u => u.Key).ToHashSet(StringComparer.Ordinal) };
        var changed = ChangeRound(directory, full);
        Guid organization;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            organization = await scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>().Organizations.Where(o => o.Slug == "bench").Select(o => o.Id).SingleAsync();
        }

        for (var round = 1; round <= rounds; round++)
        {
            await MeasureAsync(host, organization, "full read", full, round);
            await MeasureAsync(host, organization, "no-change", unchanged, round);
            await MeasureAsync(host, organization, "change round", changed, round);
        }
        return 0;
    }

    private static async Task MeasureAsync(SyncBenchHost host, Guid organization, string label, DirectorySnapshot snapshot, int round)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        GC.Collect();
        var cpu = Environment.CpuUsage.TotalTime;
        var state = await ReconcileStateLoader.LoadAsync(db, organization, "bench", snapshot, CancellationToken.None);
        var loaded = Environment.CpuUsage.TotalTime;
        var plan = ReconcilePlanner.Plan("bench", snapshot, state);
        var planned = Environment.CpuUsage.TotalTime;
        Console.WriteLine(Invariant(
            $"{round} {label,-13} CPU {(loaded - cpu).TotalMilliseconds,6:F0} ms to load, {(planned - loaded).TotalMilliseconds,6:F0} ms to plan; ")
            + Invariant($"{state.Users.Count} users, {state.Members.Count} members; plan: {plan.Creates.Count} creates, {plan.Updates.Count} updates, ")
            + Invariant($"{plan.Deactivations.Count} deactivations, {plan.GroupsChanged} groups, {plan.MemberAdds.Count} member adds, {plan.MemberRemoves.Count} removes"));
    }

    private static string Key(int i) => Invariant($"{i:D8}-0000-4000-8000-{i:D12}");

    private static string GroupKey(int g) => Invariant($"{g:D8}-1111-4000-8000-{g:D12}");

    private static SourceUser User(int i, bool enabled) => new(Key(i), new UserProfile
    {
        UserName = Invariant($"user{i:D6}"),
        ExternalId = Key(i),
        Name = new PersonName("User", i.ToString(CultureInfo.InvariantCulture)),
        DisplayName = Invariant($"User {i}"),
        Emails = [new EmailAddress(Invariant($"user{i:D6}@example.org"), "work", Primary: true)],
        PhoneNumbers = [new PhoneNumber(Invariant($"+1 425 555 {i % 10000:D4}"), "work")],
        Enterprise = new EnterpriseAttributes(EmployeeNumber: i.ToString(CultureInfo.InvariantCulture)),
    }, enabled);

    private static SourceGroup Group(DenseDirectory directory, int g, Func<int, bool> present, string? name = null) =>
        new(GroupKey(g), name ?? Invariant($"team{g:D4}"))
        {
            DistinguishedName = DenseDirectory.GroupDn(g),
            MemberUserKeys = [.. directory.Members[g].Order().Where(present).Select(Key)],
            MemberGroupKeys = [.. Enumerable.Range(10, Math.Max(0, directory.GroupCount - 10)).Where(c => DenseDirectory.ParentOf(c) == g).Select(GroupKey)],
        };

    private static DirectorySnapshot FullRead(DenseDirectory directory) => new()
    {
        IsFull = true,
        Users = [.. Enumerable.Range(1, directory.UserCount).Select(i => User(i, !DenseDirectory.IsDisabled(i)))],
        Groups = [.. Enumerable.Range(0, directory.GroupCount).Select(g => Group(directory, g, _ => true))],
    };

    /// <summary>
    /// Every twentieth user gone (their member values stay in the groups, as a directory without referential integrity
    /// keeps them), 20 new users in group 1, 3 users disabled, 300 users read again unchanged, every tenth group read
    /// again and group 5 renamed.
    /// </summary>
    private static DirectorySnapshot ChangeRound(DenseDirectory directory, DirectorySnapshot full)
    {
        static bool Gone(int i) => i % 20 == 0;
        var added = Enumerable.Range(directory.UserCount + 1, 20).ToList();
        var users = new List<SourceUser>();
        users.AddRange(added.Select(i => User(i, enabled: true)));
        users.AddRange(Enumerable.Range(1, 300).Where(i => !Gone(i)).Select(i => User(i, !DenseDirectory.IsDisabled(i) && i > 3)));
        var groups = Enumerable.Range(0, directory.GroupCount).Where(g => g % 10 == 5)
            .Select(g => g == 5 ? Group(directory, g, _ => true, "team0005 renamed") : Group(directory, g, _ => true))
            .ToList();
        groups.Add(Group(directory, 1, _ => true) with { MemberUserKeys = [.. Group(directory, 1, _ => true).MemberUserKeys, .. added.Select(Key)] });
        var inScope = full.Users.Select(u => u.Key).Where(k => !Gone(int.Parse(k[..8], CultureInfo.InvariantCulture))).ToHashSet(StringComparer.Ordinal);
        inScope.UnionWith(added.Select(Key));
        return new DirectorySnapshot { IsFull = false, Users = users, Groups = groups, UserKeysInScope = inScope };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
