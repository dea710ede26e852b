using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ScimBridge.Bench;

/// <summary>
/// Drives the SCIM server over HTTP on loopback: user creates (into an organization with a mapping file, too), filtered
/// GETs, a 1,000-member PATCH into a 50,000-member group, and a GET of that group without members.
/// </summary>
public static class ScimBenchmark
{
    private const string ScimJson = "application/scim+json";

    /// <summary>The figures printed side by side when several databases are measured in one run.</summary>
    public sealed record Summary(BenchDatabase Database, LoadResult Creates, LoadResult Lookups, LoadResult? Patches,
        LoadResult? TwoInstanceLookups, LoadResult RawCreates, LoadResult RawLookups, LoadResult FixedUser, LoadResult MappedCreates);

    public static async Task<Summary> RunAsync(string[] args, BenchDatabase database)
    {
        var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60_000;
        var lookupCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
        var usersOnly = args.Length > 3 && args[3] == "users-only";
        var groupSize = Math.Min(50_000, users - 10_000);
        var mappedCreates = await CreatesWithMappingFileAsync(Math.Min(users, 30_000), database);
        var (service, token) = await ServiceProcess.StartAsync("bench", database: database);
        await using var _ = service;
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Console.WriteLine($"ScimBridge SCIM benchmark on {database.Name}: {Environment.ProcessorCount} cores, {users:N0} users, group of {groupSize:N0}");

        // Warm-up: JIT up to the optimised tier, connection pool, SQLite caches; the measured runs then show the steady state.
        // The warm-up creates send the measured requests' shape (names, e-mails, the enterprise extension), so that no code
        // path of the measured creates is compiled for the first time while they are timed.
        await WarmUpCreatesAsync(http, "warm");
        const int warmUsers = 3_000;
        await LoadGenerator.RunAsync("warm-up", warmUsers, 16, async i =>
        {
            using var response = await http.GetAsync($"/scim/v2/Users?filter={Uri.EscapeDataString($"userName eq \"warm{i}@bench.example\"")}");
            return response.IsSuccessStatusCode;
        });

        var ids = new string[users];
        var creates = await CreateUsersAsync(http, "POST /Users", "/scim/v2/Users", ids, service);
        var lookups = await LookUpUsersAsync(http, "GET /Users?filter=userName eq", "/scim/v2/Users", users, lookupCount, service);
        LoadResult? twoInstances = null;
        if (database.IsPostgres)
        {
            twoInstances = await LookUpOnTwoInstancesAsync(service, token, users, lookupCount);
        }

        LoadResult? patches = null;
        if (!usersOnly)
        {
            patches = await GroupsAsync(http, ids, groupSize, service);
        }

        Console.WriteLine($"Service peak working set: {service.PeakWorkingSetBytes / 1024 / 1024} MiB");

        // The same loads against the raw floor, at the same moment on the same machine.
        await using var baseline = await ServiceProcess.StartBaselineAsync(database);
        using var baselineHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = baseline.BaseAddress };
        Console.WriteLine($"Baseline (bare Kestrel, raw {database.Name}: no auth, logging, EF Core or audit):");
        await LoadGenerator.RunAsync("warm-up", 2_000, 16, async i =>
        {
            using var response = await baselineHttp.GetAsync("/fixed/Users/2819c223");
            return response.IsSuccessStatusCode;
        });
        var fixedUser = await LoadGenerator.RunAsync("  GET fixed SCIM user", lookupCount, 64, async _ =>
        {
            using var response = await baselineHttp.GetAsync("/fixed/Users/2819c223");
            await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode;
        }, () => baseline.CpuTime);
        Console.WriteLine(fixedUser);
        var rawIds = new string[users];
        var rawCreates = await CreateUsersAsync(baselineHttp, $"  POST raw {database.Name} insert", "/raw/Users", rawIds, baseline);
        var rawLookups = await LookUpUsersAsync(baselineHttp, $"  GET raw {database.Name} indexed lookup", "/raw/Users", users, lookupCount, baseline);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Against the baseline: creates {creates.RequestsPerSecond / rawCreates.RequestsPerSecond:P0} of raw inserts, "
            + $"filtered GETs {lookups.RequestsPerSecond / rawLookups.RequestsPerSecond:P0} of raw lookups, {lookups.RequestsPerSecond / fixedUser.RequestsPerSecond:P0} of the fixed-user endpoint."));
        return new Summary(database, creates, lookups, patches, twoInstances, rawCreates, rawLookups, fixedUser, mappedCreates);
    }

    /// <summary>
    /// The filtered GETs again, spread evenly over the first instance and a second one started on the same database,
    /// from the same load generator with the same concurrency.
    /// </summary>
    private static async Task<LoadResult> LookUpOnTwoInstancesAsync(ServiceProcess first, string token, int users, int lookupCount)
    {
        await using var second = await first.StartAnotherAsync();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256 };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Uri[] instances = [first.BaseAddress, second.BaseAddress];
        await LoadGenerator.RunAsync("warm-up", 6_000, 16, async i =>
        {
            using var response = await http.GetAsync(new Uri(instances[i % 2], $"/scim/v2/Users?filter={Uri.EscapeDataString($"userName eq \"user{i % users}@bench.example\"")}"));
            return response.IsSuccessStatusCode;
        });
        var result = await LoadGenerator.RunAsync("GET /Users?filter=userName eq, two instances", lookupCount, 64, async i =>
        {
            var n = (int)((uint)i * 2654435761u % (uint)users);
            using var response = await http.GetAsync(new Uri(instances[i % 2], $"/scim/v2/Users?filter={Uri.EscapeDataString($"userName eq \"user{n}@bench.example\"")}"));
            var body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK && body.Contains("\"totalResults\":1", StringComparison.Ordinal);
        }, () => first.CpuTime + second.CpuTime);
        Console.WriteLine(result);
        return result;
    }

    /// <summary>The 1,000-member PATCH into a large group and the member-excluded GET of that group; returns the PATCHes.</summary>
    private static async Task<LoadResult> GroupsAsync(HttpClient http, string[] ids, int groupSize, ServiceProcess service)
    {
        // The 50,000-member group, filled in chunks (not measured).
        string groupId;
        using (var created = await http.PostAsync("/scim/v2/Groups", Body("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Everyone"}""")))
        {
            created.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await created.Content.ReadAsStreamAsync());
            groupId = doc.RootElement.GetProperty("id").GetString()!;
        }

        for (var start = 0; start < groupSize; start += 5_000)
        {
            using var response = await http.PatchAsync($"/scim/v2/Groups/{groupId}", Body(AddMembers(ids.Skip(start).Take(Math.Min(5_000, groupSize - start)))));
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Seeding the group failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        // The member PATCH path runs rarely in this bench; a running service has it optimised. Warm it on another group:
        // 40 PATCHes alternately adding and removing 150 members.
        using (var created = await http.PostAsync("/scim/v2/Groups", Body("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Warm-up"}""")))
        {
            created.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await created.Content.ReadAsStreamAsync());
            var warmGroupId = doc.RootElement.GetProperty("id").GetString()!;
            await LoadGenerator.RunAsync("warm-up", 40, 1, async i =>
            {
                var body = AddMembers(ids.Take(150));
                using var response = await http.PatchAsync($"/scim/v2/Groups/{warmGroupId}", Body(i % 2 == 0 ? body : body.Replace("\"op\":\"add\"", "\"op\":\"remove\"", StringComparison.Ordinal)));
                return response.IsSuccessStatusCode;
            });
        }

        var patches = await LoadGenerator.RunAsync($"PATCH group of {groupSize:N0} +1,000 members", 10, 1, async i =>
        {
            using var response = await http.PatchAsync($"/scim/v2/Groups/{groupId}", Body(AddMembers(ids.Skip(groupSize + i * 1_000).Take(1_000))));
            return response.IsSuccessStatusCode;
        }, () => service.CpuTime);
        Console.WriteLine(patches);

        var memberless = await LoadGenerator.RunAsync($"GET group of {groupSize + 10_000:N0}, excludedAttributes=members", 2_000, 1, async _ =>
        {
            using var response = await http.GetAsync($"/scim/v2/Groups/{groupId}?excludedAttributes=members");
            return response.StatusCode == HttpStatusCode.OK;
        }, () => service.CpuTime);
        Console.WriteLine(memberless);
        var memberlessParallel = await LoadGenerator.RunAsync("  same, 16 concurrent", 20_000, 16, async _ =>
        {
            using var response = await http.GetAsync($"/scim/v2/Groups/{groupId}?excludedAttributes=members");
            return response.StatusCode == HttpStatusCode.OK;
        }, () => service.CpuTime);
        Console.WriteLine(memberlessParallel);
        return patches;
    }

    /// <summary>
    /// Creates into an organization with a mapping file, the way customers run: a new user is in no group, so the file
    /// gives it nothing and the create joins the same group commit as without one. Its own service, started first.
    /// </summary>
    private static async Task<LoadResult> CreatesWithMappingFileAsync(int users, BenchDatabase database)
    {
        var (service, token) = await ServiceProcess.StartAsync("mapped", database: database, prepare: folder =>
        {
            System.IO.Directory.CreateDirectory(Path.Combine(folder, "mappings"));
            File.WriteAllText(Path.Combine(folder, "mappings", "mapped.yaml"),
                "organization: mapped\nrules:\n  - group: { displayName: \"Support\" }\n    team: Support\n    role: MEMBER\n" +
                "  - group: { glob: \"Sales*\" }\n    team: Sales\n    role: VIEWER\n");
        });
        await using var _ = service;
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await WarmUpCreatesAsync(http, "mapped-warm");
        return await CreateUsersAsync(http, "POST /Users, organization with a mapping file", "/scim/v2/Users", new string[users], service);
    }

    private static async Task<LoadResult> CreateUsersAsync(HttpClient http, string name, string path, string[] ids, ServiceProcess target)
    {
        var result = await LoadGenerator.RunAsync(name, ids.Length, 32, async i =>
        {
            using var response = await http.PostAsync(path, Body(UserJson(i)));
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return false;
            }

            using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            ids[i] = doc.RootElement.GetProperty("id").GetString()!;
            return true;
        }, () => target.CpuTime);
        Console.WriteLine(result);
        return result;
    }

    private static async Task<LoadResult> LookUpUsersAsync(HttpClient http, string name, string path, int users, int lookups, ServiceProcess target)
    {
        var result = await LoadGenerator.RunAsync(name, lookups, 64, async i =>
        {
            // A fixed scramble of the request number: Random is not safe to share between concurrent workers.
            var n = (int)((uint)i * 2654435761u % (uint)users);
            using var response = await http.GetAsync($"{path}?filter={Uri.EscapeDataString($"userName eq \"user{n}@bench.example\"")}");
            var body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK && body.Contains("\"totalResults\":1", StringComparison.Ordinal);
        }, () => target.CpuTime);
        Console.WriteLine(result);
        return result;
    }

    /// <summary>10,000 creates of the measured shape, under other userNames: long enough for the runtime's tiered JIT to settle.</summary>
    private static Task<LoadResult> WarmUpCreatesAsync(HttpClient http, string prefix) =>
        LoadGenerator.RunAsync("warm-up", 10_000, 32, async i =>
        {
            using var response = await http.PostAsync("/scim/v2/Users", Body(UserJson(i, prefix)));
            return response.StatusCode == HttpStatusCode.Created;
        });

    private static string UserJson(int i, string prefix = "user") => $$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "userName":"{{prefix}}{{i}}@bench.example","externalId":"{{prefix}}-ext-{{i}}","active":true,
         "name":{"givenName":"Given{{i}}","familyName":"Family{{i}}"},"displayName":"User {{i}}",
         "emails":[{"value":"{{prefix}}{{i}}@bench.example","type":"work","primary":true}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Dept {{i % 50}}","employeeNumber":"{{i}}"} }
        """;

    private static string AddMembers(IEnumerable<string> ids) =>
        """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":["""
        + string.Join(',', ids.Select(id => $$"""{"value":"{{id}}"}"""))
        + "]}]}";

    private static StringContent Body(string json) => new(json, Encoding.UTF8, ScimJson);
}
