using System.Net.Security;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ScimBridge.Sync.Sources.Entra;
using WireMock;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace ScimBridge.Sync.Tests.Entra;

/// <summary>
/// A local Microsoft Graph and Entra ID token endpoint on WireMock (https with <see cref="LocalhostCertificate"/>), answering with
/// the JSON shapes of the Graph documentation. Graph stubs answer only requests that carry the issued access token.
/// </summary>
public sealed class GraphStub : IDisposable
{
    public const string TenantId = "8c3dd07a-6d7e-4e1b-9d4f-1f0c0ee2a6f1";
    public const string ClientId = "4a1f2e0b-93c8-4d55-9a37-3e7d2c81b6aa";
    public const string ClientSecret = "s3cr3t~Value.For-Tests_Only";
    public const string AccessToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.test-access-token";

    /// <summary>Lower numbers win in WireMock: specific pages (by token) above a path's first page.</summary>
    private const int SpecificPriority = 1;
    private const int GeneralPriority = 10;

    private readonly List<HttpMessageHandler> _handlers = [];

    public GraphStub()
    {
        Server = WireMockServer.Start(new WireMockServerSettings
        {
            UseSSL = true,
            CertificateSettings = new WireMockCertificateSettings { X509Certificate = LocalhostCertificate.Instance },
        });
        Root = Server.Url!.TrimEnd('/');
        GraphRoot = Root + "/v1.0";
        StubTokenEndpoint();
    }

    public WireMockServer Server { get; }

    /// <summary>https://localhost:port — authority host of the token endpoint.</summary>
    public string Root { get; }

    /// <summary>https://localhost:port/v1.0 — the configured GraphBaseUrl.</summary>
    public string GraphRoot { get; }

    /// <summary>A source signing in with <see cref="ClientSecret"/> at the local token endpoint.</summary>
    public EntraDirectorySource CreateSource(Action<EntraSourceSettings>? configure = null, ILogger<EntraDirectorySource>? logger = null)
    {
        var settings = new EntraSourceSettings
        {
            Name = "entra-test",
            TenantId = TenantId,
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            Authority = Root,
            GraphBaseUrl = GraphRoot,
        };
        configure?.Invoke(settings);
        var transport = new EntraSourceTransport
        {
            GraphHandler = TrustingHandler(),
            CredentialTransport = new HttpClientTransport(TrustingHandler()),
        };
        return new EntraDirectorySource(settings, logger ?? NullLogger<EntraDirectorySource>.Instance, TimeProvider.System, transport);
    }

    /// <summary>Network pieces that reach this stub (trusting its certificate), for sources made by the real factory.</summary>
    public EntraSourceTransport Transport() => new()
    {
        GraphHandler = TrustingHandler(),
        CredentialTransport = new HttpClientTransport(TrustingHandler()),
    };

    /// <summary>Answers GET <paramref name="path"/> (below /v1.0) with <paramref name="body"/>; with a query parameter when given.</summary>
    public void Get(string path, JsonNode body, (string Name, string Value)? query = null, int status = 200)
    {
        var request = Authorized(Request.Create().WithPath(GraphPath(path)).UsingGet());
        if (query is { } q)
        {
            request = request.WithParam(q.Name, q.Value);
        }
        Server.Given(request)
            .AtPriority(query is null ? GeneralPriority : SpecificPriority)
            .RespondWith(Json(status, body));
    }

    /// <summary>
    /// Answers the first GET of <paramref name="path"/> with the first half of <paramref name="body"/> (a response cut
    /// off mid-way, with a matching length) and every later one with the whole of it.
    /// </summary>
    public void GetTruncatedOnce(string path, JsonNode body)
    {
        var text = body.ToJsonString();
        var scenario = "truncated " + path;
        Server.Given(Authorized(Request.Create().WithPath(GraphPath(path)).UsingGet()))
            .InScenario(scenario).WillSetStateTo("answered once").AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(text[..(text.Length / 2)]));
        Server.Given(Authorized(Request.Create().WithPath(GraphPath(path)).UsingGet()))
            .InScenario(scenario).WhenStateIs("answered once").AtPriority(5)
            .RespondWith(Json(200, body));
    }

    /// <summary>Answers every GET of <paramref name="path"/> with <paramref name="query"/> with the first half of <paramref name="body"/>.</summary>
    public void GetTruncated(string path, JsonNode body, (string Name, string Value) query)
    {
        var text = body.ToJsonString();
        Server.Given(Authorized(Request.Create().WithPath(GraphPath(path)).UsingGet()).WithParam(query.Name, query.Value))
            .AtPriority(SpecificPriority)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(text[..(text.Length / 2)]));
    }

    /// <summary>Answers GET <paramref name="path"/> with a Graph error body and status.</summary>
    public void GetFails(string path, int status, string code, string message, (string Name, string Value)? query = null, int? retryAfterSeconds = null)
    {
        var request = Authorized(Request.Create().WithPath(GraphPath(path)).UsingGet());
        if (query is { } q)
        {
            request = request.WithParam(q.Name, q.Value);
        }
        var response = Json(status, GraphJson.Error(code, message));
        if (retryAfterSeconds is { } seconds)
        {
            response = response.WithHeader("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        Server.Given(request).AtPriority(query is null ? GeneralPriority : SpecificPriority).RespondWith(response);
    }

    /// <summary>Fresh delta links for users and groups (the answer to <c>$deltatoken=latest</c>).</summary>
    public void StubLatestDeltaLinks(string usersToken = "users-token-1", string groupsToken = "groups-token-1")
    {
        Get("/users/delta*", GraphJson.DeltaPage(GraphRoot, "users", [], deltaToken: usersToken), ("$deltatoken", "latest"));
        Get("/groups/delta*", GraphJson.DeltaPage(GraphRoot, "groups", [], deltaToken: groupsToken), ("$deltatoken", "latest"));
    }

    /// <summary>
    /// Runs a first (full) read against an empty directory with a throw-away source and returns the delta state it
    /// hands back, as a previous scheduled run would have stored it.
    /// </summary>
    public async Task<string> FirstRunStateAsync(Action<EntraSourceSettings>? configure = null)
    {
        StubLatestDeltaLinks("users-token-1", "groups-token-1");
        Get("/users", GraphJson.Page(GraphRoot, "users", []));
        Get("/groups", GraphJson.Page(GraphRoot, "groups", []));
        using var source = CreateSource(configure);
        var first = await source.ReadAsync(null, CancellationToken.None);
        return first.NextDeltaState ?? throw new InvalidOperationException("the first run returned no delta state");
    }

    /// <summary>Requests the server received for a path below /v1.0 (wildcards allowed).</summary>
    public IReadOnlyList<ILogEntry> RequestsTo(string path)
    {
        var matcher = new WildcardMatcher(GraphPath(path), true);
        return Server.LogEntries.Where(e => matcher.IsMatch(e.RequestMessage.Path).IsPerfect()).OrderBy(e => e.RequestMessage.DateTime).ToList();
    }

    public IReadOnlyList<ILogEntry> TokenRequests() =>
        Server.LogEntries.Where(e => e.RequestMessage.Path == $"/{TenantId}/oauth2/v2.0/token").ToList();

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
        foreach (var handler in _handlers)
        {
            handler.Dispose();
        }
    }

    private void StubTokenEndpoint()
    {
        // The documented client-credentials answer of the Microsoft identity platform.
        var token = new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3599,
            ["ext_expires_in"] = 3599,
            ["access_token"] = AccessToken,
        };
        Server.Given(Request.Create().WithPath($"/{TenantId}/oauth2/v2.0/token").UsingPost()
                .WithBody(new RegexMatcher("grant_type=client_credentials")))
            .RespondWith(Json(200, token));
    }

    private static IRequestBuilder Authorized(IRequestBuilder request) =>
        request.WithHeader("Authorization", $"Bearer {AccessToken}");

    private static string GraphPath(string path) => "/v1.0" + path;

    private static IResponseBuilder Json(int status, JsonNode body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString());

    private HttpClientHandler TrustingHandler()
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || LocalhostCertificate.IsTrusted(certificate),
        };
        _handlers.Add(handler);
        return handler;
    }
}
