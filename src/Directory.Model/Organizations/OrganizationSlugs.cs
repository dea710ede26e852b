using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Model.Organizations;

/// <summary>
/// Organization slugs by id. A slug never changes once the organization exists, so each is read from the database
/// once per process; every SCIM write needs it to find the organization's mapping file.
/// </summary>
public sealed class OrganizationSlugs
{
    private readonly ConcurrentDictionary<Guid, string> _slugs = new();

    public async Task<string?> FindAsync(ScimBridgeDbContext db, Guid organizationId, CancellationToken ct)
    {
        if (_slugs.TryGetValue(organizationId, out var known))
        {
            return known;
        }

        var slug = await db.Organizations.AsNoTracking().Where(o => o.Id == organizationId).Select(o => o.Slug).FirstOrDefaultAsync(ct);
        if (slug is not null)
        {
            _slugs.TryAdd(organizationId, slug);
        }

        return slug;
    }
}
