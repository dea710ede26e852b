using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Scim.Organizations;

/// <summary><c>tokens list --org SLUG</c>: the organization's SCIM tokens by prefix; secrets are never shown again.</summary>
public sealed class TokensListCommand(ScimBridgeDbContext db) : IAdminCommand
{
    public IReadOnlyList<string> Verb { get; } = ["tokens", "list"];

    public string Usage => "tokens list --org SLUG   list SCIM tokens (prefix, name, created, revoked)";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        var organization = await OrganizationLookup.RequiredAsync(db, arguments.Required("org"), ct);
        var tokens = await db.ScimTokens.AsNoTracking().Where(t => t.OrganizationId == organization.Id)
            .Select(t => new { t.Prefix, t.Name, t.CreatedAt, t.RevokedAt }).ToListAsync(ct);
        await output.WriteLineAsync("PREFIX        NAME                  CREATED                    REVOKED");
        foreach (var t in tokens.OrderBy(t => t.CreatedAt))
        {
            await output.WriteLineAsync($"{t.Prefix,-13} {t.Name,-21} {t.CreatedAt:u}  {(t.RevokedAt is { } r ? r.ToString("u") : "-")}");
        }

        return 0;
    }
}
