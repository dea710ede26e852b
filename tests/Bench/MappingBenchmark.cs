using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Sqlite;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;

namespace ScimBridge.Bench;

/// <summary>
/// Mapping speed: recomputing every membership of an organization of 100,000 users in 1,000 groups (100 of them nested)
/// after a file change, in process on SQLite or PostgreSQL (<c>--database postgres</c>); and a SCIM group PATCH adding 1,000 members, mapping included, over HTTP.
/// </summary>
public static class MappingBenchmark
{
    private const int Groups = 1_000;

    public static async Task RunAsync(string[] args, BenchDatabase database)
    {
        var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        Console.WriteLine($"ScimBridge mapping benchmark on {database.Name}: {Environment.ProcessorCount} cores, {users:N0} users in {Groups:N0} groups");
        var part = args.Length > 2 ? args[2] : "all";
        if (part is "all" or "recompute")
        {
            await RecomputeOrganizationAsync(users, database);
        }

        if (part is "all" or "patch")
        {
            await PatchWithMappingAsync(database);
        }
    }

    private static async Task RecomputeOrganizationAsync(int userCount, BenchDatabase database)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"scimbridge-mapbench-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(folder);
        try
        {
            var options = Contexts(database, await database.CreateAsync(folder));
            var organizationId = await SeedAsync(options, userCount);
            var store = new MappingStore(Options.Create(new MappingOptions { Path = folder }), new HostingEnvironment { ContentRootPath = folder },
                NullLogger<MappingStore>.Instance, TimeProvider.System);

            await File.WriteAllTextAsync(Path.Combine(folder, "bench.yaml"), MappingFile(flipped: false));
            store.Reload();
            store.Accept(store.CandidateFor("bench")!);
            await MeasureAsync("first apply (all memberships new)", options, store, organizationId);

            await File.WriteAllTextAsync(Path.Combine(folder, "bench.yaml"), MappingFile(flipped: true));
            store.Reload();
            store.Accept(store.CandidateFor("bench")!);
            await MeasureAsync("file change (half the rules change role)", options, store, organizationId);
            await MeasureAsync("no change", options, store, organizationId);

            await using var db = options();
            var verified = await new AuditVerifier(db).VerifyAsync(organizationId, default);
            Console.WriteLine($"audit chain: {(verified.Intact ? "intact" : "BROKEN")}, {verified.EntriesChecked:N0} entries");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>New contexts on the benchmark's database, configured as the service configures its own.</summary>
    private static Func<ScimBridgeDbContext> Contexts(BenchDatabase database, string connectionString)
    {
        if (database.IsPostgres)
        {
            var postgres = new DbContextOptionsBuilder<PostgresScimBridgeDbContext>().UseNpgsql(connectionString).Options;
            return () => new PostgresScimBridgeDbContext(postgres);
        }

        var sqlite = new DbContextOptionsBuilder<SqliteScimBridgeDbContext>().UseSqlite(connectionString).AddInterceptors(new SqlitePragmas()).Options;
        return () => new SqliteScimBridgeDbContext(sqlite);
    }

    private static async Task MeasureAsync(string name, Func<ScimBridgeDbContext> options, MappingStore store, Guid organizationId)
    {
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var peak = 0L;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(20);
            }
        });

        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await using var db = options();
        if (Environment.GetEnvironmentVariable("MAPBENCH_SPLIT") is not null)
        {
            var inputs = await MappingInputsLoader.LoadAsync(db, organizationId, null, default);
            var loaded = watch.Elapsed.TotalSeconds;
            var planned = MappingEngine.Plan(store.For("bench")!, inputs);
            Console.WriteLine($"  load {loaded:F2} s, plan {watch.Elapsed.TotalSeconds - loaded:F2} s ({planned.Users.Count} users)");
            watch.Restart();
        }

        var memberships = new MembershipProvisioning(db, store, new OrganizationSlugs(), new AuditLog(db, TimeProvider.System), TimeProvider.System,
            NullLogger<MembershipProvisioning>.Instance);
        var plan = await memberships.RecomputeOrganizationAsync(organizationId, AuditActor.Mapping("bench.yaml"), default);
        watch.Stop();
        await sampling.CancelAsync();
        await sampler;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine($"{name,-45} {watch.Elapsed.TotalSeconds,7:F2} s (cpu {cpu:F2} s)   peak working set {peak / 1024.0 / 1024.0,7:F0} MiB   " +
                          $"{plan!.Users.Count:N0} users changed, {plan.MembershipChanges:N0} membership changes");
    }

    /// <summary>Rule i maps group G{i} to team T{i % 100}; the flipped file swaps ADMIN and VIEWER on even rules.</summary>
    private static string MappingFile(bool flipped)
    {
        var text = new StringBuilder("organization: bench\nunmappedUsers: keep\nrules:\n");
        string[] roles = ["ADMIN", "MEMBER", "VIEWER"];
        for (var i = 0; i < Groups; i++)
        {
            var role = roles[i % 3];
            if (flipped && i % 2 == 0)
            {
                role = role == "ADMIN" ? "VIEWER" : role == "VIEWER" ? "ADMIN" : "MEMBER";
            }

            text.Append(CultureInfo.InvariantCulture, $"  - group: {{ displayName: \"G{i:D4}\" }}\n    team: T{i % 100:D2}\n    role: {role}\n");
        }

        return text.ToString();
    }

    /// <summary>Users in three groups each; groups G0900–G0999 are nested in G0000–G0099.</summary>
    private static async Task<Guid> SeedAsync(Func<ScimBridgeDbContext> options, int userCount)
    {
        var watch = Stopwatch.StartNew();
        var now = TimeProvider.System.GetUtcNow();
        var organization = new Organization { Slug = "bench", Name = "bench", CreatedAt = now };
        var groups = new DirectoryGroup[Groups];
        await using (var db = options())
        {
            await db.Database.MigrateAsync();
            if (db.IsSqlite)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }

            db.Organizations.Add(organization);
            for (var i = 0; i < Groups; i++)
            {
                groups[i] = new DirectoryGroup { OrganizationId = organization.Id, ManagedBy = ManagedBySources.Scim, CreatedAt = now, UpdatedAt = now };
                groups[i].Rename($"G{i:D4}");
            }

            db.Groups.AddRange(groups);
            for (var i = 0; i < 100; i++)
            {
                db.AddMember(groups[i].Id, groups[900 + i].Id, GroupMemberType.Group, now);
            }

            await db.SaveChangesAsync();
        }

        for (var start = 0; start < userCount; start += 10_000)
        {
            await using var db = options();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var u = start; u < Math.Min(userCount, start + 10_000); u++)
            {
                var user = new User { OrganizationId = organization.Id, ManagedBy = ManagedBySources.Scim, CreatedAt = now, UpdatedAt = now };
                user.Rename($"user{u}@bench.example");
                db.Users.Add(user);
                foreach (var g in new[] { u % Groups, ((u * 7) + 3) % Groups, ((u * 13) + 5) % Groups }.Distinct())
                {
                    db.AddMember(groups[g].Id, user.Id, GroupMemberType.User, now);
                }
            }

            await db.SaveChangesAsync();
        }

        Console.WriteLine($"seeded {userCount:N0} users, {Groups:N0} groups in {watch.Elapsed.TotalSeconds:F1} s");
        return organization.Id;
    }

    private static async Task PatchWithMappingAsync(BenchDatabase database)
    {
        const int members = 1_000;
        const int patches = 10;
        var (service, token) = await ServiceProcess.StartAsync("mapbench", folder =>
        {
            System.IO.Directory.CreateDirectory(Path.Combine(folder, "mappings"));
            File.WriteAllText(Path.Combine(folder, "mappings", "mapbench.yaml"),
                "organization: mapbench\nrules:\n  - group: { displayName: \"Support\" }\n    team: Support\n    role: MEMBER\n" +
                "  - group: { glob: \"Supp*\" }\n    team: Helpdesk\n    role: VIEWER\n");
        }, database);
        await using var _ = service;
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var ids = new string[(patches + 1) * members];
        var created = await LoadGenerator.RunAsync("POST /Users (setup)", ids.Length, 16, async i =>
        {
            using var response = await http.PostAsync("/scim/v2/Users", Json($$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u{{i}}@map.example"}"""));
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            ids[i] = doc.RootElement.GetProperty("id").GetString()!;
            return response.IsSuccessStatusCode;
        });
        Console.WriteLine(created);

        string groupId;
        using (var response = await http.PostAsync("/scim/v2/Groups", Json("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Support"}""")))
        {
            response.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            groupId = doc.RootElement.GetProperty("id").GetString()!;
        }

        // The first PATCH warms up; the rest are measured. Each adds 1,000 users, who each gain two mapped teams.
        using (await http.PatchAsync($"/scim/v2/Groups/{groupId}", Json(AddMembers(ids.Take(members)))))
        {
        }

        var result = await LoadGenerator.RunAsync($"PATCH group +{members:N0} members, mapping included", patches, 1, async i =>
        {
            using var response = await http.PatchAsync($"/scim/v2/Groups/{groupId}", Json(AddMembers(ids.Skip((i + 1) * members).Take(members))));
            return response.IsSuccessStatusCode;
        });
        Console.WriteLine(result);

        using var check = await http.GetAsync($"/scim/v2/Users/{ids[^1]}");
        var body = await check.Content.ReadAsStringAsync();
        Console.WriteLine($"last user's teams: {(body.Contains("\"Support\"", StringComparison.Ordinal) && body.Contains("\"Helpdesk\"", StringComparison.Ordinal) ? "Support and Helpdesk (mapping applied)" : "MISSING")}");
        Console.WriteLine($"service peak working set {service.PeakWorkingSetBytes / 1024.0 / 1024.0:F0} MiB");
    }

    private static string AddMembers(IEnumerable<string> ids) =>
        $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{{string.Join(",", ids.Select(id => $$"""{"value":"{{id}}"}"""))}}]}]}""";

    private static StringContent Json(string json)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/scim+json");
        return content;
    }
}
