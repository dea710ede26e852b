using ScimBridge.Model.Audit;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;

namespace ScimBridge.Scim.Organizations;

/// <summary>
/// <c>orgs oauth --org SLUG --issuer URL [--audience AUD]</c> or <c>--clear</c>: lets an organization's identity provider call
/// SCIM with OAuth 2.0 access tokens (client credentials, as Entra ID's gallery apps do) instead of a long-lived secret.
/// </summary>
public sealed class OrganizationOAuthCommand(ScimBridgeDbContext db, ScimAccess access) : IAdminCommand
{
    public IReadOnlyList<string> Verb { get; } = ["orgs", "oauth"];

    public string Usage => "orgs oauth --org SLUG (--issuer URL [--audience AUD] | --clear)   trust OAuth access tokens from an issuer";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        var organization = await OrganizationLookup.RequiredAsync(db, arguments.Required("org"), ct);
        var clear = arguments.Flag("clear");
        var issuer = clear ? null : arguments.Required("issuer");
        try
        {
            await access.SetOAuthIssuerAsync(organization, issuer, clear ? null : arguments.Option("audience"), AuditActor.CommandLine("orgs oauth"), ct);
        }
        catch (DirectoryException e)
        {
            throw new CommandUsageException(e.Message.Replace("The issuer must", "--issuer must", StringComparison.Ordinal));
        }

        await output.WriteLineAsync(organization.ScimJwtIssuer is null
            ? $"Organization '{organization.Slug}' accepts SCIM tokens only."
            : $"Organization '{organization.Slug}' accepts access tokens from {organization.ScimJwtIssuer} (audience: {organization.ScimJwtAudience ?? "the service's SCIM base URL"}).");
        return 0;
    }
}
