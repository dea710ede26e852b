using System.Diagnostics;
using System.Globalization;
using System.Text;
using ScimBridge.Testing;

namespace ScimBridge.Bench;

/// <summary>
/// Full LDAP sync of 100,000 users in 1,000 groups (each user in two groups) from a local slapd into an empty SQLite
/// database through the real <c>sync run</c> command in its own process (targets: under 60 s, peak working set under
/// 1 GiB), a no-change re-sync (under 15 s), and a plain paged <c>ldapsearch</c> of the same entries for comparison.
/// </summary>
public static class LdapSyncBenchmark
{
    internal const string Source = "bench-ldap";
    internal const string Organization = "bench";
    private const string People = "ou=people," + SlapdServer.Suffix;
    private const string Groups = "ou=groups," + SlapdServer.Suffix;
    private static readonly TimeSpan FullTarget = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ResyncTarget = TimeSpan.FromSeconds(15);
    private const long MemoryTarget = 1L << 30;

    public static async Task<int> RunAsync(string[] args, BenchDatabase database)
    {
        if (args.Length > 1 && args[1] == "dense")
        {
            return await LdapDenseSyncBenchmark.RunAsync(args, database);
        }
        var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var groups = Math.Max(1, users / 100);
        var folder = Path.Combine(Path.GetTempPath(), $"scimbridge-ldap-bench-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(folder);
        try
        {
            var ldif = Path.Combine(folder, "seed.ldif");
            var clock = Stopwatch.StartNew();
            await WriteLdifAsync(ldif, users, groups);
            var generated = clock.Elapsed;
            clock.Restart();
            using var slapd = await SlapdServer.StartAsync(new SlapdOptions { SeedLdifPath = ldif });
            Console.WriteLine(Invariant($"slapd: {users:N0} users, {groups:N0} groups written in {generated.TotalSeconds:F1} s, slapadd + start {clock.Elapsed.TotalSeconds:F1} s"));

            var target = new Target(database, await database.CreateAsync(folder));
            await RunCommandAsync(folder, slapd, target, $"tokens create --org {Organization} --name bench");
            var full = await RunCommandAsync(folder, slapd, target, $"sync run --source {Source} --full");
            var resync = await RunCommandAsync(folder, slapd, target, $"sync run --source {Source} --full");
            var incremental = await RunCommandAsync(folder, slapd, target, $"sync run --source {Source}");
            var search = await LdapSearchAsync(slapd);

            Report($"full sync into empty {database.Name}", full, FullTarget);
            Report("no-change full re-sync", resync, ResyncTarget);
            Report("no-change incremental re-sync", incremental, ResyncTarget);
            Console.WriteLine(Invariant($"ldapsearch -E pr=1000/noprompt of the same users and groups: {search.TotalSeconds:F1} s"));
            var met = full.Elapsed < FullTarget && full.PeakBytes < MemoryTarget && resync.Elapsed < ResyncTarget
                && full.Output.Contains(Invariant($"full, {users} users"), StringComparison.Ordinal);
            Console.WriteLine(met ? "targets met" : "TARGETS MISSED");
            return met ? 0 : 1;
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    internal static void Report(string what, CommandRun run, TimeSpan target, TimeSpan? ldapsearch = null)
    {
        var ratio = ldapsearch is { } search ? Invariant($", {run.Elapsed / search:F1}× ldapsearch") : "";
        Console.WriteLine(Invariant(
            $"{what}: {run.Elapsed.TotalSeconds:F1} s (target < {target.TotalSeconds:F0} s{ratio}), CPU {run.Processor.TotalSeconds:F1} s, peak working set {run.PeakBytes / (1024 * 1024)} MiB, load average {run.LoadAverage}"));
        foreach (var line in run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1))
        {
            Console.WriteLine("    " + line);
        }
    }

    /// <summary>The machine's one-minute load average when a figure is printed (figures on a busy machine are slower).</summary>
    internal static string Load()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>Users <c>user000001</c>… with the attributes the source maps; user i is in groups i mod G and i / 100 mod G.</summary>
    private static async Task WriteLdifAsync(string path, int users, int groups)
    {
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 20);
        await writer.WriteAsync(Invariant($"dn: {SlapdServer.Suffix}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\n"));
        foreach (var ou in new[] { "people", "groups" })
        {
            await writer.WriteAsync(Invariant($"dn: ou={ou},{SlapdServer.Suffix}\nobjectClass: top\nobjectClass: organizationalUnit\nou: {ou}\n\n"));
        }
        for (var i = 1; i <= users; i++)
        {
            await writer.WriteAsync(Invariant(
                $"dn: uid=user{i:D6},{People}\nobjectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: inetOrgPerson\n"));
            await writer.WriteAsync(Invariant(
                $"uid: user{i:D6}\ncn: User {i}\nsn: {i}\ngivenName: User\ndisplayName: User {i}\nmail: user{i:D6}@example.org\n"));
            await writer.WriteAsync(Invariant($"telephoneNumber: +1 425 555 {i % 10000:D4}\nemployeeNumber: {i}\n\n"));
        }
        var members = new List<int>[groups];
        for (var g = 0; g < groups; g++)
        {
            members[g] = [];
        }
        for (var i = 1; i <= users; i++)
        {
            members[i % groups].Add(i);
            var second = i / 100 % groups;
            if (second != i % groups)
            {
                members[second].Add(i);
            }
        }
        for (var g = 0; g < groups; g++)
        {
            await writer.WriteAsync(Invariant($"dn: cn=team{g:D4},{Groups}\nobjectClass: top\nobjectClass: groupOfNames\ncn: team{g:D4}\n"));
            foreach (var i in members[g].DefaultIfEmpty(1))
            {
                await writer.WriteAsync(Invariant($"member: uid=user{i:D6},{People}\n"));
            }
            await writer.WriteAsync("\n");
        }
    }

    internal sealed record CommandRun(TimeSpan Elapsed, long PeakBytes, string Output)
    {
        /// <summary>CPU time the command's process used (sampled while it ran): less sensitive to a busy machine than <see cref="Elapsed"/>.</summary>
        public TimeSpan Processor { get; init; }

        /// <summary>The machine's one-minute load average as the command ended.</summary>
        public string LoadAverage { get; init; } = "";
    }

    internal sealed record Target(BenchDatabase Database, string ConnectionString);

    /// <summary>How the last command was started (its executable, arguments and environment), for a replay script.</summary>
    internal static ProcessStartInfo? LastCommand { get; private set; }

    /// <summary>Runs the service's executable with a command; peak working set is sampled from /proc (VmHWM) while it runs.</summary>
    internal static async Task<CommandRun> RunCommandAsync(
        string folder, SlapdServer slapd, Target target, string arguments, IReadOnlyDictionary<string, string>? sourceSettings = null)
    {
        var dll = await PublishedBuild.ScimDllAsync();
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        var environment = info.Environment;
        target.Database.Apply(info, target.ConnectionString);
        environment["ScimBridge__Mappings__Path"] = Path.Combine(folder, "mappings");
        // Information for the source's own "read of N users in M ms" line, which splits reading from reconciling.
        environment["Serilog__MinimumLevel__Default"] = "Warning";
        environment["Serilog__MinimumLevel__Override__ScimBridge.Sync"] = "Information";
        environment["Serilog__MinimumLevel__Override__ScimBridge.Model.Reconcile"] = "Information";
        // SCIMBRIDGE_BENCH_LOG=Debug prints every line the command logs at that level, timestamped, to find where time goes.
        var verbose = Environment.GetEnvironmentVariable("SCIMBRIDGE_BENCH_LOG");
        if (!string.IsNullOrEmpty(verbose))
        {
            environment["Serilog__MinimumLevel__Default"] = "Information";
            environment["Serilog__MinimumLevel__Override__ScimBridge"] = verbose;
            environment["Serilog__MinimumLevel__Override__ScimBridge.Sync"] = verbose;
            environment["Serilog__MinimumLevel__Override__ScimBridge.Model.Reconcile"] = verbose;
            environment["Serilog__WriteTo__0__Name"] = "Console";
            environment["Serilog__WriteTo__0__Args__standardErrorFromLevel"] = "Verbose";
            environment["Serilog__WriteTo__0__Args__outputTemplate"] = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";
        }
        const string prefix = "ScimBridge__Sync__Sources__0__";
        environment[prefix + "Name"] = Source;
        environment[prefix + "Organization"] = Organization;
        environment[prefix + "Type"] = "Ldap";
        environment[prefix + "Url"] = slapd.Url;
        environment[prefix + "BindDn"] = SlapdServer.AdminDn;
        environment[prefix + "Password"] = SlapdServer.AdminPassword;
        environment[prefix + "UserBaseDn"] = People;
        environment[prefix + "GroupBaseDn"] = Groups;
        environment[prefix + "PageSize"] = "1000";
        foreach (var (key, value) in sourceSettings ?? new Dictionary<string, string>())
        {
            environment[prefix + key] = value;
        }

        // SCIMBRIDGE_BENCH_TRACE=FOLDER writes a CPU sampling trace (EventPipe, .nettrace) of each sync run into FOLDER.
        if (Environment.GetEnvironmentVariable("SCIMBRIDGE_BENCH_TRACE") is { Length: > 0 } traces && arguments.StartsWith("sync run", StringComparison.Ordinal))
        {
            environment["DOTNET_EnableEventPipe"] = "1";
            environment["DOTNET_EventPipeOutputPath"] = Path.Combine(traces, $"{Environment.TickCount64}-{string.Concat(arguments.Split(' ').Skip(4))}.nettrace");
        }

        LastCommand = info;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("the service did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        long peak = 0;
        var cpu = TimeSpan.Zero;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, PeakWorkingSet(process.Id));
            cpu = Max(cpu, ProcessorTime(process.Id));
            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(50));
        }
        await process.WaitForExitAsync();
        var elapsed = clock.Elapsed;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{arguments}' exited with {process.ExitCode}: {await output}{await errors}");
        }
        // The source's "read of N users in M ms" and the reconciler's "loaded, planned, applied in" lines split the time.
        var timings = (await errors).Split('\n')
            .Where(l => !string.IsNullOrEmpty(verbose) && !string.IsNullOrWhiteSpace(l)
                || l.Contains("LDAP source", StringComparison.Ordinal) && l.Contains(" read of ", StringComparison.Ordinal)
                || l.Contains("Reconcile of", StringComparison.Ordinal))
            .Select(l => "\n" + l.Trim());
        return new CommandRun(elapsed, peak, await output + string.Concat(timings)) { Processor = cpu, LoadAverage = Load() };
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>User + system CPU time of a process so far (/proc/PID/stat, in clock ticks of 1/100 s).</summary>
    private static TimeSpan ProcessorTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException)
        {
            return TimeSpan.Zero;
        }
    }

    private static long PeakWorkingSet(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>A plain paged ldapsearch of every user and group (or of the user ids alone, as an incremental run reads them).</summary>
    internal static async Task<TimeSpan> LdapSearchAsync(SlapdServer slapd, bool idsOnly = false)
    {
        var clock = Stopwatch.StartNew();
        var searches = idsOnly
            ? new[] { (People, "(objectClass=inetOrgPerson)", new[] { "entryUUID" }) }
            : [(People, "(objectClass=inetOrgPerson)", ["*", "entryUUID", "modifyTimestamp"]), (Groups, "(objectClass=groupOfNames)", ["*", "entryUUID", "modifyTimestamp"])];
        foreach (var (baseDn, filter, attributes) in searches)
        {
            var info = new ProcessStartInfo("ldapsearch")
            {
                ArgumentList = { "-x", "-LLL", "-H", slapd.Url, "-D", SlapdServer.AdminDn, "-w", SlapdServer.AdminPassword, "-b", baseDn, "-E", "pr=1000/noprompt", filter },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var attribute in attributes)
            {
                info.ArgumentList.Add(attribute);
            }
            using var process = Process.Start(info) ?? throw new InvalidOperationException("ldapsearch did not start");
            var drained = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            await process.WaitForExitAsync();
            await drained;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"ldapsearch failed: {await process.StandardError.ReadToEndAsync()}");
            }
        }
        return clock.Elapsed;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
