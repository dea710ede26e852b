using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Hardening;

/// <summary>Behind a TLS-terminating reverse proxy, locations use the public scheme and host, taken only from trusted proxies.</summary>
public abstract class ReverseProxyTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private const string Proxy = "10.1.2.3";
    private const string Stranger = "203.0.113.9";

    private static void From(HttpRequestMessage request, string peer)
    {
        request.Headers.Add(PeerAddress.Header, peer);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "scim.example.com");
    }

    [Fact]
    public async Task Locations_and_refs_use_forwarded_scheme_and_host_only_from_a_trusted_proxy()
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync("proxy-" + Guid.NewGuid().ToString("N")[..8]));
        var user = await api.CreateUserAsync("proxied@example.org");
        var id = ScimApi.Id(user);
        await api.CreateGroupAsync("Proxied", id);

        var viaProxy = await api.ExpectAsync(HttpStatusCode.OK, api.SendAsync(HttpMethod.Get, $"/Users/{id}", configure: r => From(r, Proxy)));
        Assert.Equal($"https://scim.example.com/scim/v2/Users/{id}", (string?)viaProxy["meta"]!["location"]);
        Assert.StartsWith("https://scim.example.com/scim/v2/Groups/", (string?)viaProxy["groups"]![0]!["$ref"], StringComparison.Ordinal);
        var groups = await api.ExpectAsync(HttpStatusCode.OK, api.SendAsync(HttpMethod.Get, "/Groups", configure: r => From(r, Proxy)));
        Assert.Equal($"https://scim.example.com/scim/v2/Users/{id}", (string?)groups["Resources"]![0]!["members"]![0]!["$ref"]);
        var config = await api.ExpectAsync(HttpStatusCode.OK, api.SendAsync(HttpMethod.Get, "/ServiceProviderConfig", configure: r => From(r, Proxy)));
        Assert.StartsWith("https://scim.example.com/scim/v2/", (string?)config["meta"]!["location"], StringComparison.Ordinal);

        var direct = await api.ExpectAsync(HttpStatusCode.OK, api.SendAsync(HttpMethod.Get, $"/Users/{id}", configure: r => From(r, Stranger)));
        Assert.Equal($"http://localhost/scim/v2/Users/{id}", (string?)direct["meta"]!["location"]);
    }
}

/// <summary>Sets the connection's remote address from a test header: TestServer has no network peer of its own.</summary>
internal static class PeerAddress
{
    public const string Header = "X-Test-Peer";

    public static void Configure(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new Filter()));

    private sealed class Filter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var peer))
                {
                    context.Connection.RemoteIpAddress = peer;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

public class ProxiedScimBridgeFactory : ScimBridgeFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ScimBridge:Scim:TrustedProxies:0"] = "10.0.0.0/8",
        ["ScimBridge:Scim:TrustedProxies:1"] = "192.0.2.1",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        PeerAddress.Configure(builder);
    }
}

public sealed class ProxiedPostgresScimBridgeFactory : ProxiedScimBridgeFactory
{
    protected override bool OnPostgres => true;
}

public sealed class ReverseProxyTestsOnSqlite(ProxiedScimBridgeFactory factory) : ReverseProxyTests<ProxiedScimBridgeFactory>(factory);

public sealed class ReverseProxyTestsOnPostgres(ProxiedPostgresScimBridgeFactory factory) : ReverseProxyTests<ProxiedPostgresScimBridgeFactory>(factory);
