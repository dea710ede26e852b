using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScimBridge.Scim.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ScimBridge.Scim.Tests;

/// <summary>OAuth 2.0 client-credentials access tokens (as Entra ID's gallery uses) from an issuer an organization trusts.</summary>
public sealed class OAuthAccessTokenTests : IClassFixture<ScimBridgeFactory>, IDisposable
{
    private const string Audience = "api://scimbridge";
    private readonly ScimBridgeFactory _factory;
    private readonly WireMockServer _issuer = WireMockServer.Start();
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key-1" };

    public OAuthAccessTokenTests(ScimBridgeFactory factory)
    {
        _factory = factory;
    }

    /// <summary>Publishes metadata and keys for an issuer of its own per organization, as Entra ID has one per tenant.</summary>
    private async Task<string> TrustIssuerAsync(string slug)
    {
        var issuer = $"{_issuer.Url}/{slug}";
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(_key);
        _issuer.Given(Request.Create().WithPath($"/{slug}/.well-known/openid-configuration").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBodyAsJson(new
            {
                issuer,
                jwks_uri = issuer + "/discovery/keys",
                token_endpoint = issuer + "/oauth2/token",
                id_token_signing_alg_values_supported = new[] { "RS256" },
            }));
        _issuer.Given(Request.Create().WithPath($"/{slug}/discovery/keys").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBodyAsJson(new
            {
                keys = new[] { new { kty = jwk.Kty, use = "sig", kid = jwk.Kid, n = jwk.N, e = jwk.E } },
            }));

        await _factory.CreateOrganizationClientAsync(slug);
        var (exit, _, error) = await AdminCli.RunAsync(_factory, "orgs", "oauth", "--org", slug, "--issuer", issuer, "--audience", Audience);
        Assert.True(exit == 0, error);
        return issuer;
    }

    private static string Token(string issuer, string audience, SecurityKey key, bool expired = false)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expired ? now.AddHours(-2) : now,
            NotBefore = expired ? now.AddHours(-2) : now.AddMinutes(-1),
            Expires = expired ? now.AddHours(-1) : now.AddHours(1),
            Claims = new Dictionary<string, object> { ["appid"] = "entra-provisioning" },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    private async Task<HttpResponseMessage> GetUsersAsync(string token)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("/scim/v2/Users");
    }

    [Fact]
    public async Task Access_token_from_the_trusted_issuer_is_accepted()
    {
        var issuer = await TrustIssuerAsync("oauth-ok");

        var response = await GetUsersAsync(Token(issuer, Audience, _key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Access_token_for_another_audience_is_rejected()
    {
        var issuer = await TrustIssuerAsync("oauth-audience");

        var response = await GetUsersAsync(Token(issuer, "api://someone-else", _key));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Access_token_signed_by_an_unknown_key_is_rejected()
    {
        var issuer = await TrustIssuerAsync("oauth-key");
        var stranger = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key-1" };

        var response = await GetUsersAsync(Token(issuer, Audience, stranger));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Expired_access_token_is_rejected()
    {
        var issuer = await TrustIssuerAsync("oauth-expired");

        var response = await GetUsersAsync(Token(issuer, Audience, _key, expired: true));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Access_tokens_stop_working_when_the_organization_clears_its_issuer()
    {
        var issuer = await TrustIssuerAsync("oauth-cleared");
        var token = Token(issuer, Audience, _key);
        Assert.Equal(HttpStatusCode.OK, (await GetUsersAsync(token)).StatusCode);

        var (exit, _, _) = await AdminCli.RunAsync(_factory, "orgs", "oauth", "--org", "oauth-cleared", "--clear");

        Assert.Equal(0, exit);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetUsersAsync(token)).StatusCode);
    }

    [Fact]
    public async Task One_issuer_cannot_be_trusted_by_two_organizations()
    {
        var issuer = await TrustIssuerAsync("oauth-first");
        await _factory.CreateOrganizationClientAsync("oauth-second");

        var (exit, _, error) = await AdminCli.RunAsync(_factory, "orgs", "oauth", "--org", "oauth-second", "--issuer", issuer);

        Assert.Equal(2, exit);
        Assert.Contains("already trusted by organization 'oauth-first'", error, StringComparison.Ordinal);
    }

    public void Dispose() => _issuer.Stop();
}
