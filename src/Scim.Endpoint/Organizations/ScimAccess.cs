using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Scim.Auth;

namespace ScimBridge.Scim.Organizations;

/// <summary>
/// How identity providers reach an organization's SCIM API: its bearer tokens (issued once, stored hashed, revoked) and
/// the OAuth issuer it trusts. The <c>tokens</c> and <c>orgs oauth</c> commands and the console's SCIM access page all
/// change them here, so each change is checked and audited the same way, whoever makes it.
/// </summary>
public sealed class ScimAccess(ScimBridgeDbContext db, AuditLog audit, TimeProvider clock, IMemoryCache cache)
{
    public const int MaxTokenNameLength = 100;

    /// <summary>Issues a token and saves it (with the organization, when that is new); the secret is returned once, never stored.</summary>
    public async Task<(ScimToken Token, string Secret)> CreateTokenAsync(Organization organization, string? name, AuditActor actor, CancellationToken ct)
    {
        var label = string.IsNullOrWhiteSpace(name) ? "scim-client" : name.Trim();
        if (label.Length > MaxTokenNameLength)
        {
            throw new InvalidValueException($"A token name has at most {MaxTokenNameLength} characters.");
        }

        var (token, secret) = ScimToken.Issue(organization.Id, label, clock.GetUtcNow());
        db.ScimTokens.Add(token);
        audit.Record(organization.Id, actor, "scim-token.created", "scim-token", token.Id.ToString(), after: new { token.Name, token.Prefix });
        await db.SaveChangesAsync(ct);
        return (token, secret);
    }

    /// <summary>The organization's tokens, oldest first (never their secrets: only hashes are stored).</summary>
    public Task<List<ScimToken>> TokensAsync(Guid organizationId, CancellationToken ct) =>
        db.ScimTokens.AsNoTracking().Where(t => t.OrganizationId == organizationId).OrderBy(t => t.CreatedAt).ToListAsync(ct);

    /// <summary>Stops a token from working at once in this process (other processes within their lookup cache time); false when it already was revoked.</summary>
    public async Task<bool> RevokeAsync(ScimToken token, AuditActor actor, CancellationToken ct)
    {
        if (token.RevokedAt is not null)
        {
            return false;
        }

        token.RevokedAt = clock.GetUtcNow();
        audit.Record(token.OrganizationId, actor, "scim-token.revoked", "scim-token", token.Id.ToString(),
            before: new { token.Name, token.Prefix }, after: new { token.Name, token.Prefix, token.RevokedAt });
        await db.SaveChangesAsync(ct);
        ScimTokenAuthentication.Forget(cache, token);
        return true;
    }

    /// <summary>
    /// Trusts OAuth access tokens from <paramref name="issuer"/> for the organization (null: trusts none). Issuers are
    /// stored normalized, and one issuer is trusted by one organization only.
    /// </summary>
    public async Task SetOAuthIssuerAsync(Organization organization, string? issuer, string? audience, AuditActor actor, CancellationToken ct)
    {
        var before = new { organization.ScimJwtIssuer, organization.ScimJwtAudience };
        if (string.IsNullOrWhiteSpace(issuer))
        {
            organization.ScimJwtIssuer = null;
            organization.ScimJwtAudience = null;
        }
        else
        {
            issuer = issuer.Trim();
            if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                throw new InvalidValueException($"The issuer must be an absolute http(s) URL, not '{issuer}'.");
            }

            // Compared normalized (scheme, host case, trailing slash): rows written before normalization count too.
            var trusted = await db.Organizations.AsNoTracking()
                .Where(o => o.ScimJwtIssuer != null && o.Id != organization.Id).Select(o => new { o.Slug, o.ScimJwtIssuer }).ToListAsync(ct);
            var holder = trusted.FirstOrDefault(o => OAuthIssuer.Same(o.ScimJwtIssuer, issuer));
            if (holder is not null)
            {
                throw new UniquenessConflictException(
                    $"Issuer '{issuer}' is already trusted by organization '{holder.Slug}' (as '{holder.ScimJwtIssuer}'); one issuer maps to one organization.");
            }

            organization.ScimJwtIssuer = OAuthIssuer.Normalize(issuer);
            organization.ScimJwtAudience = string.IsNullOrWhiteSpace(audience) ? null : audience.Trim();
        }

        audit.Record(organization.Id, actor, "organization.oauth-changed", "organization", organization.Id.ToString(),
            before: before, after: new { organization.ScimJwtIssuer, organization.ScimJwtAudience });
        await db.SaveChangesAsync(ct);
    }
}
