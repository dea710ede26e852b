using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScimBridge.Model.Persistence;
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
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organization = await db.Organizations.SingleAsync(o => o.Slug == slug);
        organization.ScimJwtIssuer = issuer;
        organization.ScimJwtAudience = Audience;
        await db.SaveChangesAsync();
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

    public void Dispose() => _issuer.Stop();
}
