using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Organizations;

namespace ScimBridge.Scim.Admin.Audit;

/// <summary>
/// <c>audit verify [--org SLUG]</c>: walks each organization's hash chain and names the first entry that does not verify
/// (altered, or following a removed entry). Exit code 1 when any chain is broken, 0 when all are intact.
/// </summary>
public sealed class AuditVerifyCommand(ScimBridgeDbContext db, AuditVerifier verifier) : IAdminCommand
{
    public IReadOnlyList<string> Verb { get; } = ["audit", "verify"];

    public string Usage => "audit verify [--org SLUG]   check that the audit trail is complete and unaltered (exit code 1 names the first bad entry)";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        var organizations = arguments.Option("org") is { Length: > 0 } slug
            ? [await OrganizationLookup.RequiredAsync(db, slug, ct)]
            : await db.Organizations.AsNoTracking().OrderBy(o => o.Slug).ToListAsync(ct);
        var broken = 0;
        foreach (var organization in organizations)
        {
            var result = await verifier.VerifyAsync(organization.Id, ct);
            if (result.Intact)
            {
                await output.WriteLineAsync($"{organization.Slug}: intact, {result.EntriesChecked} entries verified.");
            }
            else
            {
                broken++;
                await output.WriteLineAsync(
                    $"{organization.Slug}: entry {result.FirstBrokenEntryId} does not verify (after {result.EntriesChecked} good entries): it was altered, or an entry before it was removed.");
            }
        }

        if (organizations.Count == 0)
        {
            await output.WriteLineAsync("No organization exists yet; nothing to verify.");
        }

        return broken == 0 ? 0 : 1;
    }
}
