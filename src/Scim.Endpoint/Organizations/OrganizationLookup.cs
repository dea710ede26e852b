using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Scim.Organizations;

/// <summary>Finds the organization a command names, or stops the command with a message saying which ones exist.</summary>
public static class OrganizationLookup
{
    public static async Task<Organization> RequiredAsync(ScimBridgeDbContext db, string slug, CancellationToken ct)
    {
        var normalized = Organization.NormalizeSlug(slug);
        if (Organization.SlugProblem(normalized) is { } problem)
        {
            throw new CommandUsageException(problem);
        }

        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Slug == normalized, ct);
        if (organization is not null)
        {
            return organization;
        }

        var known = await db.Organizations.AsNoTracking().OrderBy(o => o.Slug).Select(o => o.Slug).Take(20).ToListAsync(ct);
        throw new CommandUsageException(known.Count == 0
            ? $"Unknown organization '{normalized}': none exists yet (`tokens create --org {normalized}` creates it)."
            : $"Unknown organization '{normalized}'. Known: {string.Join(", ", known)}.");
    }
}
