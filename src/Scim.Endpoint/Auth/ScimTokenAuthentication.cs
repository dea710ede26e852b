using System.Data.Common;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Auth;

/// <summary>
/// Authenticates SCIM clients by bearer token: an opaque per-organization secret (stored hashed), or an OAuth 2.0
/// access token (JWT) from the issuer an organization trusts.
/// </summary>
public sealed class ScimTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ScimBridgeDbContext db,
    IMemoryCache cache,
    ScimJwtValidator jwtValidator,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ScimBearer";

    /// <summary>
    /// How long a token lookup is reused. A revocation made in this process evicts its entry at once
    /// (<see cref="Forget"/>); one made by the admin command in another process takes effect within this time.
    /// </summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length == 0)
        {
            return AuthenticateResult.Fail("Empty bearer token.");
        }

        if (secret.Count(c => c == '.') == 2)
        {
            var jwt = await jwtValidator.ValidateAsync(secret, Context.RequestAborted);
            return jwt is null
                ? AuthenticateResult.Fail("The access token is not valid for any organization.")
                : Success(jwt.Value.OrganizationId, jwt.Value.ClientName);
        }

        var key = CacheKey(ScimToken.HashSecret(secret));
        if (!cache.TryGetValue(key, out (Guid OrganizationId, string Name)? tenant))
        {
            tenant = await FindTokenAsync(secret);
            cache.Set(key, tenant, CacheFor);
        }

        return tenant is { } t ? Success(t.OrganizationId, t.Name) : AuthenticateResult.Fail("Unknown or revoked token.");
    }

    /// <summary>Drops a token's cached lookup, so a revocation is seen by the next request.</summary>
    public static void Forget(IMemoryCache cache, ScimToken token) => cache.Remove(CacheKey(token.Hash));

    private static string CacheKey(byte[] hash) => "scim-token:" + Convert.ToHexString(hash);

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // RFC 6750 §3: a request that sent a token it may not use is told so (invalid_token); one without is only challenged.
        var sentToken = Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        Response.Headers.WWWAuthenticate = sentToken ? "Bearer realm=\"scim\", error=\"invalid_token\"" : "Bearer realm=\"scim\"";
        await ScimError.Of(401, null, sentToken ? "The bearer token is not valid." : "A valid bearer token is required.").WriteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await ScimError.Of(403, null, "This token may not use this endpoint.").WriteAsync(Context);

    private async Task<(Guid, string)?> FindTokenAsync(string secret)
    {
        var hash = ScimToken.HashSecret(secret);
        var token = await db.ScimTokens.AsNoTracking()
            .Where(t => t.Hash == hash && t.RevokedAt == null)
            .FirstOrDefaultAsync(Context.RequestAborted);

        // The index finds the row; the constant-time comparison decides.
        if (token is null || !token.Matches(secret))
        {
            return null;
        }

        await RecordUseAsync(token);
        return (token.OrganizationId, token.Name);
    }

    /// <summary>
    /// Notes the token's last use for the console, at most every <see cref="ScimToken.LastUseGranularity"/> (this runs
    /// once per cached lookup, and the UPDATE only matches when the stored time is older), so a busy client costs one
    /// small write every few minutes. A write that fails (a busy database) is skipped: it must never refuse a request.
    /// </summary>
    private async Task RecordUseAsync(ScimToken token)
    {
        var now = clock.GetUtcNow();
        var due = now - ScimToken.LastUseGranularity;
        if (token.LastUsedAt is { } last && last > due)
        {
            return;
        }

        try
        {
            await db.ScimTokens.Where(t => t.Id == token.Id && (t.LastUsedAt == null || t.LastUsedAt < due))
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
        }
        catch (DbException e)
        {
            Logger.LogDebug(e, "Could not record the last use of SCIM token {Prefix}", token.Prefix);
        }
    }

    private AuthenticateResult Success(Guid organizationId, string clientName) =>
        AuthenticateResult.Success(new AuthenticationTicket(ScimTenant.Principal(organizationId, clientName, SchemeName), SchemeName));
}
