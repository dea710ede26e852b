using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Users;

/// <summary>
/// A manager (enterprise extension) must be another user of the same organization, not deleted: an id from another
/// organization would otherwise link tenants and show its display name across them.
/// </summary>
public static class ManagerReference
{
    public static async Task RequireAsync(ScimBridgeDbContext db, Guid organizationId, string? managerId, Guid? userId, CancellationToken ct)
    {
        if (managerId is null)
        {
            return;
        }

        var id = Guid.Parse(managerId);
        if (id == userId)
        {
            throw ScimException.InvalidValue("manager cannot be the user itself.");
        }

        var exists = await db.Users.AsNoTracking().IgnoreAutoIncludes()
            .AnyAsync(u => u.Id == id && u.OrganizationId == organizationId && u.DeletedAt == null, ct);
        if (!exists)
        {
            throw ScimException.InvalidValue($"manager '{managerId}' is not a user of this organization.");
        }
    }
}
