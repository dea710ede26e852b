using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ScimBridge.Testing;

namespace ScimBridge.Bench;

/// <summary>
/// <c>ldap-sync dense</c>: the <see cref="DenseDirectory"/> (100,000 users, 1.29 million member values) from a local
/// slapd through the real <c>sync run</c> command: a full sync into an empty SQLite database (target under 30 s, peak
/// working set under 1 GiB; with <c>--database postgres</c> into PostgreSQL, under 60 s), a no-change incremental run (under 5 s), and a change round — 5 % of users deleted, 20
/// added, 10 moved, 3 disabled, one group renamed — (under 5 s, and exactly the expected changes). Each is printed next
/// to a plain paged <c>ldapsearch</c> of the same entries.
/// </summary>
public static partial class LdapDenseSyncBenchmark
{
    private static readonly TimeSpan FullTarget = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PostgresFullTarget = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RunTarget = TimeSpan.FromSeconds(5);
    private const long MemoryTarget = 1L << 30;

    public static async Task<int> RunAsync(string[] args, BenchDatabase database)
    {
        var users = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
        // SCIMBRIDGE_BENCH_REPEAT=N runs the no-change run and the change round N times each and reports the median.
        var repeats = int.TryParse(Environment.GetEnvironmentVariable("SCIMBRIDGE_BENCH_REPEAT"), CultureInfo.InvariantCulture, out var n) ? Math.Max(1, n) : 1;
        var directory = DenseDirectory.Create(users);
        var folder = Path.Combine(Path.GetTempPath(), $"scimbridge-ldap-dense-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(folder);
        try
        {
            var ldif = Path.Combine(folder, "seed.ldif");
            var clock = Stopwatch.StartNew();
            await directory.WriteLdifAsync(ldif);
            var generated = clock.Elapsed;
            clock.Restart();
            using var slapd = await SlapdServer.StartAsync(new SlapdOptions { SeedLdifPath = ldif });
            Console.WriteLine(Invariant(
                $"slapd: {users:N0} users, {directory.GroupCount:N0} groups, {directory.Edges:N0} user member values (largest group {directory.Members.Max(m => m.Count):N0}), written in {generated.TotalSeconds:F1} s, slapadd + start {clock.Elapsed.TotalSeconds:F1} s"));

            var extra = new Dictionary<string, string> { ["DisabledFilter"] = DenseDirectory.DisabledFilter };
            var target = new LdapSyncBenchmark.Target(database, await database.CreateAsync(folder));
            await LdapSyncBenchmark.RunCommandAsync(folder, slapd, target, $"tokens create --org {LdapSyncBenchmark.Organization} --name bench", extra);
            var full = await LdapSyncBenchmark.RunCommandAsync(folder, slapd, target, $"sync run --source {LdapSyncBenchmark.Source} --full", extra);
            var search = await LdapSyncBenchmark.LdapSearchAsync(slapd);
            var ids = await LdapSyncBenchmark.LdapSearchAsync(slapd, idsOnly: true);
            var unchanged = Median(await RepeatAsync(repeats, "no-change run", null,
                () => LdapSyncBenchmark.RunCommandAsync(folder, slapd, target, $"sync run --source {LdapSyncBenchmark.Source}", extra)));

            // Every change round starts from the database as the no-change run left it, so repeats measure the same work.
            var before = await SnapshotAsync(target, folder);
            var expected = ApplyChangeRound(directory, slapd);
            var changed = Median(await RepeatAsync(repeats, "change round", () => RestoreAsync(target, before),
                () => LdapSyncBenchmark.RunCommandAsync(folder, slapd, target, $"sync run --source {LdapSyncBenchmark.Source} --force", extra)));

            var fullTarget = database.IsPostgres ? PostgresFullTarget : FullTarget;
            LdapSyncBenchmark.Report($"full sync into empty {database.Name}", full, fullTarget, search);
            LdapSyncBenchmark.Report("no-change incremental run", unchanged, RunTarget, ids);
            LdapSyncBenchmark.Report("change round (incremental, --force for the 5 % deleted)", changed, RunTarget, ids);
            if (!database.IsPostgres)
            {
                Console.WriteLine(SqliteChangeRoundLimit.Measure(before, SqliteFile(target), folder, changed.Output));
            }
            Console.WriteLine(Invariant($"ldapsearch -E pr=1000/noprompt of every user and group: {search.TotalSeconds:F1} s; of the user ids alone: {ids.TotalSeconds:F1} s"));
            var actual = Counts(changed.Output);
            var exact = actual == expected;
            Console.WriteLine($"change round expected {expected}; printed {actual?.ToString() ?? "no counts"}: {(exact ? "exact" : "NOT EXACT")}");
            var met = exact && full.Elapsed < fullTarget && full.PeakBytes < MemoryTarget && unchanged.Elapsed < RunTarget && changed.Elapsed < RunTarget
                && full.Output.Contains(Invariant($"full, {users} users"), StringComparison.Ordinal);
            Console.WriteLine(met ? "targets met" : "TARGETS MISSED");
            await HoldAsync(target, before, folder);
            return met ? 0 : 1;
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<List<LdapSyncBenchmark.CommandRun>> RepeatAsync(
        int repeats, string what, Func<Task>? reset, Func<Task<LdapSyncBenchmark.CommandRun>> run)
    {
        var runs = new List<LdapSyncBenchmark.CommandRun>();
        for (var i = 0; i < repeats; i++)
        {
            if (i > 0 && reset is not null)
            {
                await reset();
            }
            runs.Add(await run());
        }
        if (repeats > 1)
        {
            Console.WriteLine(Invariant($"{what}, {repeats} runs: {string.Join(", ", runs.Select(r => $"{r.Elapsed.TotalSeconds:F2} s (CPU {r.Processor.TotalSeconds:F2} s, load {r.LoadAverage})"))}"));
        }
        return runs;
    }

    /// <summary>
    /// With <c>SCIMBRIDGE_BENCH_HOLD=SCRIPT</c> (SQLite only), writes SCRIPT: a shell script that restores the database to
    /// its state before the change round and runs the change round again, exactly as the bench started it (extra
    /// environment variables in front of it, e.g. runtime settings, apply to that run). slapd keeps running until
    /// SCRIPT is deleted, so one change round can be profiled or compared under different settings in seconds.
    /// </summary>
    private static async Task HoldAsync(LdapSyncBenchmark.Target target, string before, string folder)
    {
        if (Environment.GetEnvironmentVariable("SCIMBRIDGE_BENCH_HOLD") is not { Length: > 0 } script || target.Database.IsPostgres
            || LdapSyncBenchmark.LastCommand is not { } command)
        {
            return;
        }
        var database = SqliteFile(target);
        var lines = new List<string>
        {
            "#!/bin/bash",
            $"rm -f '{database}-wal' '{database}-shm' && cp '{before}' '{database}'",
            $"cd '{folder}'",
        };
        var variables = command.Environment
            .Where(v => v.Key.StartsWith("ScimBridge__", StringComparison.Ordinal) || v.Key.StartsWith("Serilog__", StringComparison.Ordinal))
            .Select(v => $"'{v.Key}={v.Value}'");
        lines.Add($"env {string.Join(' ', variables)} {command.FileName} {command.Arguments} \"$@\"");
        await File.WriteAllLinesAsync(script, lines);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Console.WriteLine($"holding slapd until {script} is deleted; run it to repeat the change round");
        while (File.Exists(script))
        {
            await Task.Delay(1000);
        }
    }

    /// <summary>The run with the median time (the upper one of an even count).</summary>
    private static LdapSyncBenchmark.CommandRun Median(List<LdapSyncBenchmark.CommandRun> runs) =>
        runs.OrderBy(r => r.Elapsed).ElementAt(runs.Count / 2);

    /// <summary>A copy of the database as it is now: the SQLite file, or a PostgreSQL database made from it as a template.</summary>
    private static async Task<string> SnapshotAsync(LdapSyncBenchmark.Target target, string folder)
    {
        if (!target.Database.IsPostgres)
        {
            // A command leaves its last commits in the write-ahead log for the next opener: the copy is taken after they
            // are checkpointed into the file, so that it holds everything the runs wrote.
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={SqliteFile(target)};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                await checkpoint.ExecuteNonQueryAsync();
            }
            var file = Path.Combine(folder, "before-change-round.db");
            File.Copy(SqliteFile(target), file);
            return file;
        }
        var server = await PostgresServer.StartedAsync();
        var name = $"before_{Guid.NewGuid():N}";
        await server.ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{PostgresDatabase(target)}\"");
        return name;
    }

    private static async Task RestoreAsync(LdapSyncBenchmark.Target target, string snapshot)
    {
        if (!target.Database.IsPostgres)
        {
            foreach (var suffix in new[] { "-wal", "-shm" })
            {
                File.Delete(SqliteFile(target) + suffix);
            }
            File.Copy(snapshot, SqliteFile(target), overwrite: true);
            return;
        }
        var server = await PostgresServer.StartedAsync();
        var database = PostgresDatabase(target);
        await server.ExecuteAsync($"DROP DATABASE \"{database}\" WITH (FORCE)");
        await server.ExecuteAsync($"CREATE DATABASE \"{database}\" TEMPLATE \"{snapshot}\"");
    }

    private static string SqliteFile(LdapSyncBenchmark.Target target) =>
        new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource;

    private static string PostgresDatabase(LdapSyncBenchmark.Target target) =>
        new Npgsql.NpgsqlConnectionStringBuilder(target.ConnectionString).Database!;

    /// <summary>The counts a run prints on its third line.</summary>
    private sealed record RunCounts(int Created, int Updated, int Deactivated, int Reactivated, int GroupsChanged, long MembershipsChanged);

    private static RunCounts? Counts(string output)
    {
        var match = CountsPattern().Match(output);
        return match.Success
            ? new RunCounts(Int(1), Int(2), Int(3), Int(4), Int(5), long.Parse(match.Groups[6].Value, CultureInfo.InvariantCulture))
            : null;

        int Int(int group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"created (\d+), updated (\d+), deactivated (\d+), reactivated (\d+), groups changed (\d+), memberships changed (\d+)")]
    private static partial Regex CountsPattern();

    /// <summary>
    /// 5 % of users deleted, 20 added (into team0005), 10 moved to <c>ou=moved</c> (their groups' member values follow,
    /// as referential integrity would do it), 3 disabled, team0999 renamed (its parent's member value follows). Returns
    /// what the next run must print.
    /// </summary>
    private static RunCounts ApplyChangeRound(DenseDirectory directory, SlapdServer slapd)
    {
        var clock = Stopwatch.StartNew();
        var deleted = Enumerable.Range(1, directory.UserCount).Where(i => i % 20 == 7).ToList();
        foreach (var i in deleted)
        {
            slapd.Delete(DenseDirectory.UserDn(i));
        }

        var added = Enumerable.Range(directory.UserCount + 1, 20).ToList();
        foreach (var i in added)
        {
            slapd.Add(DenseDirectory.UserDn(i), ("objectClass", ["top", "person", "organizationalPerson", "inetOrgPerson"]),
                ("uid", [Invariant($"user{i:D6}")]), ("cn", [Invariant($"User {i}")]), ("sn", [Invariant($"{i}")]),
                ("mail", [Invariant($"user{i:D6}@example.org")]));
        }
        slapd.AddValues(DenseDirectory.GroupDn(5), "member", [.. added.Select(DenseDirectory.UserDn)]);

        foreach (var i in Enumerable.Range(11, 10))
        {
            var oldDn = DenseDirectory.UserDn(i);
            var newDn = Invariant($"uid=user{i:D6},ou=moved,{DenseDirectory.People}");
            slapd.Rename(oldDn, Invariant($"uid=user{i:D6}"), Invariant($"ou=moved,{DenseDirectory.People}"));
            for (var g = 0; g < directory.GroupCount; g++)
            {
                if (directory.Members[g].Contains(i))
                {
                    slapd.RemoveValues(DenseDirectory.GroupDn(g), "member", oldDn);
                    slapd.AddValues(DenseDirectory.GroupDn(g), "member", newDn);
                }
            }
        }

        var disabled = new[] { 101, 102, 103 };
        foreach (var i in disabled)
        {
            slapd.Replace(DenseDirectory.UserDn(i), "description", "disabled");
        }

        var renamed = directory.GroupCount - 1;
        slapd.Rename(DenseDirectory.GroupDn(renamed), Invariant($"cn=team{renamed:D4}-renamed"));
        if (DenseDirectory.ParentOf(renamed) is { } parent)
        {
            slapd.RemoveValues(DenseDirectory.GroupDn(parent), "member", DenseDirectory.GroupDn(renamed));
            slapd.AddValues(DenseDirectory.GroupDn(parent), "member", Invariant($"cn=team{renamed:D4}-renamed,{DenseDirectory.Groups}"));
        }
        Console.WriteLine(Invariant($"change round written to slapd in {clock.Elapsed.TotalSeconds:F1} s"));

        var removedMemberships = deleted.Sum(i => (long)directory.Members.Count(m => m.Contains(i)));
        return new RunCounts(
            Created: added.Count,
            Updated: 0,
            Deactivated: deleted.Count(i => !DenseDirectory.IsDisabled(i)) + disabled.Length,
            Reactivated: 0,
            GroupsChanged: 1,
            MembershipsChanged: removedMemberships + added.Count);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
