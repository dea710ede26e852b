using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Sqlite;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Bench;

/// <summary>
/// Admin console speed with 100,000 users in one organization (SQLite): the users search page, the user page, the
/// mapping page's "why" lookup, the sync page and the mapping page with a held version, requested one at a time by a
/// signed-in Owner. Prints the server's own time (the page's <c>Server-Timing</c> header)
/// and the time seen by the client, p50 and p95; before them, the export of every user to .xlsx: time and the
/// service's peak working set, each printed with its target.
/// </summary>
public static partial class ConsoleBenchmark
{
    private const string Organization = "bench";
    private const int Teams = 50;

    public static async Task RunAsync(string[] args)
    {
        var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        Console.WriteLine($"ScimBridge console benchmark: {Environment.ProcessorCount} cores, {users:N0} users");
        var folder = ServiceProcess.NewFolder();

        // The command migrates the database and makes the Owner; the users are then written straight into the file.
        // With SCIMBRIDGE_BENCH_SEED_CACHE naming a folder, the seeded file is kept there and copied on later runs.
        var cache = Environment.GetEnvironmentVariable("SCIMBRIDGE_BENCH_SEED_CACHE");
        var cached = cache is null ? null : Path.Combine(cache, $"console-{users}.db");
        if (cached is not null && File.Exists(cached))
        {
            File.Copy(cached, Path.Combine(folder, "bench.db"));
            Console.WriteLine($"seed copied from {cached}");
        }

        var link = (await ServiceProcess.RunCommandAsync(folder, $"admin login-link --org {Organization} --email owner@bench.example")).Trim().Split('\n')[^1].Trim();
        (List<Guid> Users, List<Guid> Teams) ids;
        if (cached is not null && File.Exists(cached))
        {
            ids = await SeededIdsAsync(folder);
        }
        else
        {
            var seeding = Stopwatch.StartNew();
            ids = await SeedAsync(folder, users);
            Console.WriteLine($"seeded {users:N0} users in {seeding.Elapsed.TotalSeconds:F1} s");
            if (cached is not null)
            {
                System.IO.Directory.CreateDirectory(cache!);
                await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(ServiceProcess.SqliteConnectionString(folder));
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "VACUUM INTO $path";
                command.Parameters.AddWithValue("$path", cached);
                await command.ExecuteNonQueryAsync();
            }
        }

        System.IO.Directory.CreateDirectory(Path.Combine(folder, "mappings"));
        await using var service = await ServiceProcess.StartInAsync(folder);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = service.BaseAddress,
            Timeout = TimeSpan.FromMinutes(10),
        };
        await SignInAsync(client, new Uri(link).PathAndQuery);
        await MeasureExportAsync(client, service, users);
        if (args.Length > 2 && args[2] == "export-only")
        {
            return;
        }

        string[] searches = ["person04211", "PERSON0", "given123", "family9", "person", "nobody-matches", ""];
        await MeasureAsync(client, "users search page", 200, i => $"/admin/users?q={Uri.EscapeDataString(searches[i % searches.Length])}");
        await MeasureAsync(client, "users search, filtered by state and team, sorted by name", 100,
            i => $"/admin/users?q=person{i % 10}&state=active&sort=name&team={ids.Teams[i % ids.Teams.Count]}");
        await MeasureAsync(client, "users list, page 1,000", 50, _ => "/admin/users?page=1000");
        // Spread over the whole organization, the same users on every run.
        await MeasureAsync(client, "user page", 200, i => $"/admin/users/{ids.Users[(int)((i * 7919L) % ids.Users.Count)]}");
        await MeasureAsync(client, "mapping page, why lookup", 100, i => $"/admin/mapping?who=person{(i * 7919L) % users:D6}@bench.example");
        await MeasureAsync(client, "directory sync page", 100, _ => "/admin/sync");

        // A mapping file that grants nothing: it would take the mapped memberships of half the users, so the guard holds
        // it, and every view of the mapping page assesses it against all users (what `mappings preview` computes).
        await File.WriteAllTextAsync(Path.Combine(folder, "mappings", "bench.yaml"),
            $"organization: {Organization}\nrules:\n  - group: {{ displayName: \"Nobody\" }}\n    team: Team 00\n    role: MEMBER\n");
        await HeldAsync(client);
        await MeasureAsync(client, "mapping page with a held version (assesses every user)", 10, _ => "/admin/mapping", warmUps: 1);
        Console.WriteLine($"service peak working set {service.PeakWorkingSetBytes / 1024 / 1024} MiB, CPU {service.CpuTime.TotalSeconds:F1} s");
    }

    private static async Task HeldAsync(HttpClient client)
    {
        var deadline = Stopwatch.StartNew();
        while (!(await client.GetStringAsync("/admin/mapping")).Contains("id=\"held-reason\"", StringComparison.Ordinal))
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new InvalidOperationException("The mapping file was not held within 10 minutes.");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>
    /// The export of every user to .xlsx, measured first, so that the service's peak working set is the export's (plus
    /// start-up and sign-in), not the search pages'.
    /// </summary>
    private static async Task MeasureExportAsync(HttpClient client, ServiceProcess service, int users)
    {
        var before = service.PeakWorkingSetBytes;
        var cpuBefore = service.CpuTime;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync("/admin/users/export?format=xlsx&state=all", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var firstByte = watch.Elapsed;
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long bytes = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
        }

        var elapsed = watch.Elapsed;
        var cpu = service.CpuTime - cpuBefore;
        var peak = service.PeakWorkingSetBytes / 1024.0 / 1024.0;
        Console.WriteLine($"export of {users:N0} users to .xlsx: {elapsed.TotalSeconds:F1} s (target < 10 s){Verdict(elapsed.TotalSeconds < 10)}, first byte after {firstByte.TotalMilliseconds:F0} ms, {bytes / 1024.0 / 1024.0:F1} MiB file");
        Console.WriteLine($"export service peak working set {peak:F0} MiB (target < 300 MiB){Verdict(peak < 300)} (after start-up and sign-in: {before / 1024.0 / 1024.0:F0} MiB)");
        // CPU time depends far less on what else the machine runs than the wall-clock time does.
        Console.WriteLine($"export service CPU time {cpu.TotalSeconds:F1} s; load average when the export started: {load} ({Environment.ProcessorCount} cores)");
    }

    private static string Verdict(bool met) => met ? " met" : " MISSED";

    private static async Task MeasureAsync(HttpClient client, string what, int requests, Func<int, string> path, int warmUps = 10)
    {
        for (var i = 0; i < warmUps; i++)
        {
            (await client.GetAsync(path(i))).EnsureSuccessStatusCode();
        }

        var server = new List<double>(requests);
        var seen = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(path(i));
            await response.Content.ReadAsStringAsync();
            seen.Add(watch.Elapsed.TotalMilliseconds);
            response.EnsureSuccessStatusCode();
            var timing = response.Headers.TryGetValues("Server-Timing", out var values) ? values.First() : "";
            server.Add(ServerTiming().Match(timing) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN);
        }

        Console.WriteLine($"{what,-58} server p50 {Percentile(server, 50),6:F1} ms  p95 {Percentile(server, 95),6:F1} ms   client p50 {Percentile(seen, 50),6:F1} ms  p95 {Percentile(seen, 95),6:F1} ms  ({requests} requests)");
    }

    private static double Percentile(List<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1)];
    }

    private static async Task SignInAsync(HttpClient client, string linkPath)
    {
        var page = await client.GetStringAsync(linkPath);
        var token = WebUtility.HtmlDecode(AntiforgeryToken().Match(page).Groups[1].Value);
        var response = await client.PostAsync(linkPath, new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in with the link answered {response.StatusCode}.");
        }
    }

    private static async Task<(List<Guid> Users, List<Guid> Teams)> SeedAsync(string folder, int count)
    {
        var options = new DbContextOptionsBuilder<SqliteScimBridgeDbContext>()
            .UseSqlite(ServiceProcess.SqliteConnectionString(folder)).AddInterceptors(new SqlitePragmas()).Options;
        await using var db = new SqliteScimBridgeDbContext(options);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var organizationId = await db.Organizations.Where(o => o.Slug == Organization).Select(o => o.Id).SingleAsync();
        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        var teams = Enumerable.Range(0, Teams).Select(i =>
        {
            var team = new Team { OrganizationId = organizationId, CreatedAt = now, CreatedBy = "bench" };
            team.Rename($"Team {i:D2}");
            return team;
        }).ToList();
        db.Teams.AddRange(teams);
        await db.SaveChangesAsync();

        var ids = new List<Guid>(count);
        foreach (var chunk in Enumerable.Range(0, count).Chunk(5_000))
        {
            foreach (var i in chunk)
            {
                var user = new User { OrganizationId = organizationId, ManagedBy = i % 3 == 0 ? "scim" : i % 3 == 1 ? "corp-ldap" : ManagedBySources.Manual, CreatedAt = now, UpdatedAt = now };
                user.ApplyProfile(new UserProfile
                {
                    UserName = $"person{i:D6}@bench.example",
                    ExternalId = $"ext-{i}",
                    Name = new PersonName($"Given{i}", $"Family{i % 10_000}"),
                    DisplayName = $"Given{i} Family{i % 10_000}",
                    Emails = [new EmailAddress($"person{i:D6}@bench.example", "work", true, null)],
                });
                db.Users.Add(user);
                ids.Add(user.Id);
                foreach (var team in new[] { teams[i % Teams], teams[(i * 31 + 7) % Teams] }.Distinct())
                {
                    db.TeamMemberships.Add(new TeamMembership
                    {
                        OrganizationId = organizationId, TeamId = team.Id, UserId = user.Id, Role = (TeamRole)(1 + (i % 3)),
                        Origin = i % 2 == 0 ? MembershipOrigin.Mapping : MembershipOrigin.Manual,
                        Cause = i % 2 == 0 ? "rule 1 (line 4) of bench.yaml@abc, group Sales" : "set by hand", CreatedAt = now, UpdatedAt = now,
                    });
                }
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }

        return (ids, teams.Select(t => t.Id).ToList());
    }

    /// <summary>The ids of a seed copied from the cache, in the order <see cref="SeedAsync"/> made them.</summary>
    private static async Task<(List<Guid> Users, List<Guid> Teams)> SeededIdsAsync(string folder)
    {
        var options = new DbContextOptionsBuilder<SqliteScimBridgeDbContext>().UseSqlite(ServiceProcess.SqliteConnectionString(folder)).Options;
        await using var db = new SqliteScimBridgeDbContext(options);
        var organizationId = await db.Organizations.Where(o => o.Slug == Organization).Select(o => o.Id).SingleAsync();
        var users = await db.Users.IgnoreAutoIncludes().Where(u => u.OrganizationId == organizationId && u.UserName.StartsWith("person"))
            .OrderBy(u => u.UserName).Select(u => u.Id).ToListAsync();
        var teams = await db.Teams.Where(t => t.OrganizationId == organizationId).OrderBy(t => t.Name).Select(t => t.Id).ToListAsync();
        return (users, teams);
    }

    [GeneratedRegex("dur=([0-9.]+)")]
    private static partial Regex ServerTiming();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
