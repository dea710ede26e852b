using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ScimBridge.Bench;

/// <summary>
/// <c>POST /Bulk</c> with 1,000 user creates in one request, timed end to end, next to the same 1,000 users sent as
/// single <c>POST /Users</c> requests from 32 concurrent clients in the same run.
/// </summary>
public static class BulkBenchmark
{
    private const string ScimJson = "application/scim+json";

    public static async Task RunAsync(string[] args)
    {
        var operations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var (service, token) = await ServiceProcess.StartAsync("bench", settings: new() { ["ScimBridge__Scim__BulkMaxOperations"] = operations.ToString(CultureInfo.InvariantCulture) });
        await using var _ = service;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Console.WriteLine($"ScimBridge Bulk benchmark: {Environment.ProcessorCount} cores, {rounds} bulk requests of {operations:N0} user creates");

        // Warm-up: JIT, connection pools, SQLite caches.
        for (var round = 0; round < 3; round++)
        {
            await SendBulkAsync(http, $"warm{round}", 200);
        }

        var times = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var cpuBefore = service.CpuTime;
            var started = Stopwatch.GetTimestamp();
            var created = await SendBulkAsync(http, $"round{round}", operations);
            var elapsed = Stopwatch.GetElapsedTime(started);
            times.Add(elapsed.TotalMilliseconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"POST /Bulk, {operations:N0} user creates             {elapsed.TotalMilliseconds,8:F0} ms  {operations / elapsed.TotalSeconds,6:F0} creates/s  "
                + $"server cpu {(service.CpuTime - cpuBefore).TotalMilliseconds,6:F0} ms  created {created}"));
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Median of {rounds}: {times[times.Count / 2]:F0} ms for {operations:N0} creates in one request"));

        var singles = await LoadGenerator.RunAsync($"same users as single POST /Users, 32 concurrent", operations, 32, async i =>
        {
            using var response = await http.PostAsync("/scim/v2/Users", Body(UserJson($"single{i}")));
            return response.StatusCode == HttpStatusCode.Created;
        }, () => service.CpuTime);
        Console.WriteLine(singles);
    }

    /// <summary>Sends one Bulk request of <paramref name="count"/> creates; returns how many answered 201.</summary>
    private static async Task<int> SendBulkAsync(HttpClient http, string prefix, int count)
    {
        var body = new StringBuilder("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[""");
        for (var i = 0; i < count; i++)
        {
            body.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"method":"POST","path":"/Users","bulkId":"{{prefix}}-{{i}}","data":{{UserJson($"{prefix}-{i}")}}}""");
        }

        body.Append("]}");
        using var response = await http.PostAsync("/scim/v2/Bulk", Body(body.ToString()));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Bulk answered {(int)response.StatusCode}: {text}");
        }

        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("Operations").EnumerateArray().Count(o => o.GetProperty("status").GetString() == "201");
    }

    private static string UserJson(string name) => $$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "userName":"{{name}}@bench.example","externalId":"ext-{{name}}","active":true,
         "name":{"givenName":"Given {{name}}","familyName":"Family"},"displayName":"User {{name}}",
         "emails":[{"value":"{{name}}@bench.example","type":"work","primary":true}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","employeeNumber":"{{name}}"} }
        """;

    private static StringContent Body(string json) => new(json, Encoding.UTF8, ScimJson);
}
