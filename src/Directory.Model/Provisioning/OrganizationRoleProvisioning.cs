using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Provisioning;

/// <summary>Sets a user's organization role by hand (an Owner in the console, a bootstrap link). Stages changes; the caller saves.</summary>
public sealed class OrganizationRoleProvisioning(ScimBridgeDbContext db, AuditLog audit, TimeProvider clock)
{
    /// <summary>
    /// Gives the user <paramref name="role"/> (null: the platform's default) as a hand-set role, which mapping files then
    /// leave alone. Returns false when the user already had exactly that hand-set role. The last active Owner of an
    /// organization keeps that role: someone must be able to give it on.
    /// </summary>
    public async Task<bool> SetRoleAsync(User user, OrganizationRole? role, ProvisioningContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(context);
        if (user.OrganizationId != context.OrganizationId)
        {
            throw new ResourceNotFoundException($"No user with id '{user.Id}' exists in this organization.");
        }

        if (user.OrganizationRole == role && !user.OrganizationRoleFromMapping)
        {
            return false;
        }

        if (role is not null && !Enum.IsDefined(role.Value))
        {
            throw new InvalidValueException($"'{role}' is not an organization role; choose Owner, Admin, Member, Support or Viewer.");
        }

        if (user.OrganizationRole == OrganizationRole.Owner && role != OrganizationRole.Owner
            && !await db.Users.IgnoreAutoIncludes().AnyAsync(u => u.OrganizationId == user.OrganizationId && u.Id != user.Id
                && u.OrganizationRole == OrganizationRole.Owner && u.Status != UserStatus.Deactivated && u.DeletedAt == null, ct))
        {
            throw new InvalidValueException($"'{user.UserName}' is the organization's last Owner; make someone else Owner first.");
        }

        var before = new { organizationRole = user.OrganizationRole, fromMapping = user.OrganizationRoleFromMapping };
        user.OrganizationRole = role;
        user.OrganizationRoleFromMapping = false;
        user.UpdatedAt = clock.GetUtcNow();
        user.Version++;
        audit.Record(user.OrganizationId, context.Actor, "user.organization-role.changed", UserProvisioning.TargetType, user.Id.ToString(),
            before, new { organizationRole = role, fromMapping = false }, context.Cause ?? "set by hand");
        return true;
    }
}
