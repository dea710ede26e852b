using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;

namespace ScimBridge.Scim.Organizations;

/// <summary><c>tokens create --org SLUG [--name LABEL]</c>: creates the organization if needed and prints a new SCIM token once.</summary>
public sealed class TokensCreateCommand(ScimBridgeDbContext db, AuditLog audit, TimeProvider clock, IConfiguration configuration, ScimAccess access) : IAdminCommand
{
    public IReadOnlyList<string> Verb { get; } = ["tokens", "create"];

    public string Usage => "tokens create --org SLUG [--name LABEL]   create a SCIM bearer token (printed once, on the last line)";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        var slug = arguments.RequiredSlug();
        var name = arguments.Option("name") ?? "scim-client";
        var now = clock.GetUtcNow();
        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Slug == slug, ct);
        if (organization is null)
        {
            organization = new Organization { Slug = slug, Name = slug, CreatedAt = now };
            db.Organizations.Add(organization);
            audit.Record(organization.Id, AuditActor.CommandLine("tokens create"), "organization.created", "organization", organization.Id.ToString(), after: new { organization.Slug });
            await output.WriteLineAsync($"Created organization '{slug}'.");
        }

        string secret;
        try
        {
            (_, secret) = await access.CreateTokenAsync(organization, name, AuditActor.CommandLine("tokens create"), ct);
        }
        catch (DirectoryException e)
        {
            throw new CommandUsageException(e.Message);
        }

        var (tenantUrl, configured) = TenantUrl.From(configuration);
        await output.WriteLineAsync($"Tenant URL (Entra ID) / SCIM connector base URL (Okta): {tenantUrl}");
        if (!configured)
        {
            await output.WriteLineAsync($"  (the address this service listens on; behind a reverse proxy give its public https address as {TenantUrl.PublicUrlKey})");
        }

        await output.WriteLineAsync($"SCIM token '{name}' for organization '{slug}' (shown once; store it in your identity provider):");
        await output.WriteLineAsync(secret);
        return 0;
    }
}
