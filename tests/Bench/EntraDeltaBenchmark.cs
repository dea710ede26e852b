using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Sources.Entra;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace ScimBridge.Bench;

/// <summary>
/// Times an Entra ID delta run with 100 changes (target: under 2 s for the whole run: read, reconcile, record) against
/// a local Graph on WireMock over https: a fresh source (sign-in at the token endpoint), users delta on two pages,
/// groups delta with members@delta, applied to SQLite through the same runner the scheduler and <c>sync run</c> use.
/// </summary>
public static class EntraDeltaBenchmark
{
    private const string TenantId = "8c3dd07a-6d7e-4e1b-9d4f-1f0c0ee2a6f1";
    private const string ClientId = "4a1f2e0b-93c8-4d55-9a37-3e7d2c81b6aa";
    private const int ChangedUsers = 70;
    private const int RemovedUsers = 10;
    private const int MemberChanges = 20;
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Runs the source through the real sync runner into SQLite: a first full run (100 users, 4 groups), then the timed
    /// delta run with 100 changes, on a fresh source instance (sign-in included) as every scheduled run is.
    /// Returns 0 when the delta run meets the target.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var users = args.Length > 1 && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 10_000;
        using var certificate = CreateLocalhostCertificate();
        using var server = WireMockServer.Start(new WireMockServerSettings
        {
            UseSSL = true,
            CertificateSettings = new WireMockCertificateSettings { X509Certificate = certificate },
        });
        var root = server.Url!.TrimEnd('/');
        var graph = root + "/v1.0";
        Stub(server, graph, users);

        var thumbprint = certificate.Thumbprint;
        HttpClientHandler Trusting() => new()
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, errors) =>
                errors == SslPolicyErrors.None || presented?.Thumbprint == thumbprint,
        };
        using var graphHandler = Trusting();
        using var credentialHandler = Trusting();
        var transport = new EntraSourceTransport { GraphHandler = graphHandler, CredentialTransport = new HttpClientTransport(credentialHandler) };
        await using var host = await SyncBenchHost.CreateAsync(new Dictionary<string, string?>
        {
            ["Name"] = "entra-bench",
            ["Type"] = "EntraId",
            ["TenantId"] = TenantId,
            ["ClientId"] = ClientId,
            ["ClientSecret"] = "bench-secret",
            ["Authority"] = root,
            ["GraphBaseUrl"] = graph,
            // 10 deleted and 7 disabled of 100: above the default 10%, and meant to be applied here.
            ["DeactivationThresholdPercent"] = "50",
        }, services => services.AddSingleton(transport));

        // The previous scheduled run: full read, creates the users and groups, stores the delta links.
        var (first, _) = await host.RunAsync();
        Console.WriteLine($"first run: {SyncBenchHost.Describe(first)}");

        var time = TimeProvider.System;
        var started = time.GetTimestamp();
        var (delta, _) = await host.RunAsync();
        var elapsed = time.GetElapsedTime(started);
        var changes = delta.Updated + delta.Deactivated + delta.MembershipsChanged;

        var met = elapsed < Target && delta.Status == SyncRunStatus.Succeeded && !delta.Full;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Entra delta run with {ChangedUsers + RemovedUsers + MemberChanges} changes in Graph on {users:N0} users, fresh source (with sign-in), read + reconcile + record: "
            + $"{elapsed.TotalMilliseconds:F0} ms (target < {Target.TotalMilliseconds:F0} ms) {(met ? "OK" : "MISSED")}"));
        Console.WriteLine($"  {SyncBenchHost.Describe(delta)}; {changes} changes applied");
        return met ? 0 : 1;
    }

    private static void Stub(WireMockServer server, string graph, int users)
    {
        server.Given(Request.Create().WithPath($"/{TenantId}/oauth2/v2.0/token").UsingPost())
            .RespondWith(Json(new JsonObject
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = 3599,
                ["ext_expires_in"] = 3599,
                ["access_token"] = "bench-access-token",
            }));

        // What the first run reads: the users (10,000 unless told), the 4 groups (members arrive with the delta), and delta links that start now.
        var everyone = Enumerable.Range(1, Math.Max(users, ChangedUsers + RemovedUsers)).Select(i => (JsonNode)User(i)).ToArray();
        server.Given(Request.Create().WithPath("/v1.0/users").UsingGet()).RespondWith(Json(DeltaPage(graph, "users", everyone)));
        server.Given(Request.Create().WithPath("/v1.0/groups").UsingGet()).RespondWith(Json(DeltaPage(graph, "groups",
            [.. Enumerable.Range(1, 4).Select(g => (JsonNode)new JsonObject { ["id"] = GroupId(g), ["displayName"] = $"Team {g}" })])));
        server.Given(Request.Create().WithPath("/v1.0/groups/*/members").UsingGet()).RespondWith(Json(DeltaPage(graph, "directoryObjects", [])));
        server.Given(Request.Create().WithPath("/v1.0/users/delta*").WithParam("$deltatoken", "latest").UsingGet())
            .RespondWith(Json(DeltaPage(graph, "users", [], deltaLink: $"{graph}/users/delta()?$deltatoken=bench-users")));
        server.Given(Request.Create().WithPath("/v1.0/groups/delta*").WithParam("$deltatoken", "latest").UsingGet())
            .RespondWith(Json(DeltaPage(graph, "groups", [], deltaLink: $"{graph}/groups/delta()?$deltatoken=bench-groups")));

        // Users delta on two pages: changed users, then soft-deleted and deleted ones.
        var firstUsers = Enumerable.Range(1, ChangedUsers).Select(i => (JsonNode)User(i, "Team Lead")).ToArray();
        var removed = Enumerable.Range(ChangedUsers + 1, RemovedUsers).Select(i => (JsonNode)new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.user",
            ["id"] = UserId(i),
            ["@removed"] = new JsonObject { ["reason"] = i % 2 == 0 ? "changed" : "deleted" },
        }).ToArray();
        server.Given(Request.Create().WithPath("/v1.0/users/delta*").WithParam("$deltatoken", "bench-users").UsingGet())
            .RespondWith(Json(DeltaPage(graph, "users", firstUsers, nextLink: $"{graph}/users/delta()?$skiptoken=bench-users-2")));
        server.Given(Request.Create().WithPath("/v1.0/users/delta*").WithParam("$skiptoken", "bench-users-2").UsingGet())
            .RespondWith(Json(DeltaPage(graph, "users", removed, deltaLink: $"{graph}/users/delta()?$deltatoken=bench-users-next")));

        // Groups delta: member additions and removals spread over four groups.
        var groups = Enumerable.Range(1, 4).Select(g => (JsonNode)new JsonObject
        {
            ["displayName"] = $"Team {g}",
            ["id"] = GroupId(g),
            ["members@delta"] = new JsonArray(Enumerable.Range(1, MemberChanges / 4).Select(m =>
            {
                var member = new JsonObject { ["@odata.type"] = "#microsoft.graph.user", ["id"] = UserId((g * 10) + m) };
                if (m % 2 == 0)
                {
                    member["@removed"] = new JsonObject { ["reason"] = "deleted" };
                }
                return (JsonNode)member;
            }).ToArray()),
        }).ToArray();
        server.Given(Request.Create().WithPath("/v1.0/groups/delta*").WithParam("$deltatoken", "bench-groups").UsingGet())
            .RespondWith(Json(DeltaPage(graph, "groups", groups, deltaLink: $"{graph}/groups/delta()?$deltatoken=bench-groups-next")));
    }

    private static string GroupId(int g) => $"0b7c2d3e-0000-4000-8000-{g:D12}";

    private static string UserId(int i) => $"5f0e7a1c-0000-4000-8000-{i:D12}";

    private static JsonObject User(int i, string jobTitle = "Agent") => new()
    {
        ["id"] = UserId(i),
        ["businessPhones"] = new JsonArray("+1 425 555 " + (1000 + i).ToString(CultureInfo.InvariantCulture)),
        ["displayName"] = $"User {i}",
        ["givenName"] = "User",
        ["surname"] = i.ToString(CultureInfo.InvariantCulture),
        ["jobTitle"] = jobTitle,
        ["mail"] = $"user{i}@contoso.com",
        ["mobilePhone"] = null,
        ["officeLocation"] = "18/2111",
        ["preferredLanguage"] = "en-US",
        ["userPrincipalName"] = $"user{i}@contoso.com",
        ["accountEnabled"] = i % 10 != 0,
        ["department"] = "Support",
        ["employeeId"] = (1000 + i).ToString(CultureInfo.InvariantCulture),
        ["companyName"] = "Contoso",
    };

    private static JsonObject DeltaPage(string graph, string resource, JsonNode[] values, string? nextLink = null, string? deltaLink = null)
    {
        var page = new JsonObject { ["@odata.context"] = $"{graph}/$metadata#{resource}" };
        if (nextLink is not null)
        {
            page["@odata.nextLink"] = nextLink;
        }
        if (deltaLink is not null)
        {
            page["@odata.deltaLink"] = deltaLink;
        }
        page["value"] = new JsonArray(values);
        return page;
    }

    private static IResponseBuilder Json(JsonNode body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString());

    private static X509Certificate2 CreateLocalhostCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var notBefore = TimeProvider.System.GetUtcNow().AddDays(-1);
        using var created = request.CreateSelfSigned(notBefore, notBefore.AddDays(2));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }
}
