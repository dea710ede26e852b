using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Options;

namespace ScimBridge.Scim.Auth;

/// <summary>
/// Validates OAuth 2.0 access tokens for SCIM: the token's issuer picks the organization that trusts it,
/// the issuer's published keys check the signature, and the organization's audience must match.
/// </summary>
public sealed class ScimJwtValidator(IServiceScopeFactory scopes, IOptions<ScimOptions> options, ILogger<ScimJwtValidator> logger)
{
    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _metadata = new(StringComparer.Ordinal);
    private readonly JsonWebTokenHandler _handler = new();

    public async Task<(Guid OrganizationId, string ClientName)?> ValidateAsync(string token, CancellationToken ct)
    {
        if (!_handler.CanReadToken(token))
        {
            return null;
        }

        string issuer;
        try
        {
            issuer = _handler.ReadJsonWebToken(token).Issuer;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or FormatException or System.Text.Json.JsonException)
        {
            // "a.b.c" has a JWT's shape but no JWT inside: an unknown token like any other, not a failure of the service.
            logger.LogInformation("Rejected a malformed SCIM access token: {Reason}", e.GetType().Name);
            return null;
        }

        if (string.IsNullOrEmpty(issuer))
        {
            return null;
        }

        var normalized = OAuthIssuer.Normalize(issuer);
        var candidates = new[] { issuer, normalized, normalized + "/" };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organization = await db.Organizations.AsNoTracking()
            .Where(o => o.ScimJwtIssuer != null && candidates.Contains(o.ScimJwtIssuer))
            .Select(o => new { o.Id, o.ScimJwtAudience })
            .FirstOrDefaultAsync(ct);
        if (organization is null)
        {
            return null;
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = organization.ScimJwtAudience ?? options.Value.JwtAudience,
            ValidateAudience = true,
            ValidateLifetime = true,
            ConfigurationManager = Metadata(normalized),
            ClockSkew = TimeSpan.FromMinutes(2),
        };
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            logger.LogInformation("Rejected SCIM access token from {Issuer}: {Reason}", issuer, result.Exception?.GetType().Name);
            return null;
        }

        var client = result.Claims.TryGetValue("appid", out var appId) ? appId?.ToString()
            : result.Claims.TryGetValue("azp", out var azp) ? azp?.ToString()
            : result.Claims.TryGetValue("sub", out var sub) ? sub?.ToString() : null;
        return (organization.Id, client ?? "oauth-client");
    }

    private ConfigurationManager<OpenIdConnectConfiguration> Metadata(string issuer) =>
        _metadata.GetOrAdd(issuer, i =>
        {
            var uri = new Uri(i.TrimEnd('/') + "/.well-known/openid-configuration");
            return new ConfigurationManager<OpenIdConnectConfiguration>(
                uri.ToString(),
                new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever { RequireHttps = !uri.IsLoopback });
        });
}
