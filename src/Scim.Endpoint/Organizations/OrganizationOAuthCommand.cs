using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Auth;

namespace ScimBridge.Scim.Organizations;

/// <summary>
/// <c>orgs oauth --org SLUG --issuer URL [--audience AUD]</c> or <c>--clear</c>: lets an organization's identity provider call
/// SCIM with OAuth 2.0 access tokens (client credentials, as Entra ID's gallery apps do) instead of a long-lived secret.
/// </summary>
public sealed class OrganizationOAuthCommand(ScimBridgeDbContext db, AuditLog audit) : IAdminCommand
{
    public IReadOnlyList<string> Verb { get; } = ["orgs", "oauth"];

    public string Usage => "orgs oauth --org SLUG (--issuer URL [--audience AUD] | --clear)   trust OAuth access tokens from an issuer";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        var organization = await OrganizationLookup.RequiredAsync(db, arguments.Required("org"), ct);
        var before = new { organization.ScimJwtIssuer, organization.ScimJwtAudience };
        if (arguments.Flag("clear"))
        {
            organization.ScimJwtIssuer = null;
            organization.ScimJwtAudience = null;
        }
        else
        {
            var issuer = arguments.Required("issuer");
            if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                throw new CommandUsageException($"--issuer must be an absolute http(s) URL, not '{issuer}'.");
            }

            // Compared normalized (scheme, host case, trailing slash): rows written before normalization count too.
            var trusted = await db.Organizations.AsNoTracking()
                .Where(o => o.ScimJwtIssuer != null && o.Id != organization.Id).Select(o => new { o.Slug, o.ScimJwtIssuer }).ToListAsync(ct);
            var holder = trusted.FirstOrDefault(o => OAuthIssuer.Same(o.ScimJwtIssuer, issuer));
            if (holder is not null)
            {
                throw new CommandUsageException(
                    $"Issuer '{issuer}' is already trusted by organization '{holder.Slug}' (as '{holder.ScimJwtIssuer}'); one issuer maps to one organization.");
            }

            organization.ScimJwtIssuer = OAuthIssuer.Normalize(issuer);
            organization.ScimJwtAudience = arguments.Option("audience");
        }

        audit.Record(organization.Id, AuditActor.CommandLine("orgs oauth"), "organization.oauth-changed", "organization", organization.Id.ToString(),
            before: before, after: new { organization.ScimJwtIssuer, organization.ScimJwtAudience });
        await db.SaveChangesAsync(ct);
        await output.WriteLineAsync(organization.ScimJwtIssuer is null
            ? $"Organization '{organization.Slug}' accepts SCIM tokens only."
            : $"Organization '{organization.Slug}' accepts access tokens from {organization.ScimJwtIssuer} (audience: {organization.ScimJwtAudience ?? "the service's SCIM base URL"}).");
        return 0;
    }
}
