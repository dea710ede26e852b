using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Scim.Organizations;

/// <summary><c>tokens revoke --org SLUG --prefix PREFIX</c>: the token stops working; the row stays for the audit trail.</summary>
public sealed class TokensRevokeCommand(ScimBridgeDbContext db, ScimAccess access) : IAdminCommand
{
    public IReadOnlyList<string> Verb { get; } = ["tokens", "revoke"];

    public string Usage => "tokens revoke --org SLUG --prefix PREFIX   revoke a SCIM token (see tokens list)";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        var organization = await OrganizationLookup.RequiredAsync(db, arguments.Required("org"), ct);
        var prefix = arguments.Required("prefix");
        var token = await db.ScimTokens.FirstOrDefaultAsync(t => t.OrganizationId == organization.Id && t.Prefix == prefix, ct)
            ?? throw new CommandUsageException($"Organization '{organization.Slug}' has no token with prefix '{prefix}' (see tokens list).");
        if (!await access.RevokeAsync(token, AuditActor.CommandLine("tokens revoke"), ct))
        {
            await output.WriteLineAsync($"Token {token.Prefix} was already revoked at {token.RevokedAt:u}.");
            return 0;
        }

        await output.WriteLineAsync($"Token {token.Prefix} ('{token.Name}') of organization '{organization.Slug}' is revoked.");
        return 0;
    }
}
