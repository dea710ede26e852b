using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Provisioning;

/// <summary>Sets a user's organization role by hand (an Owner in the console, a bootstrap link). Stages changes; the caller saves.</summary>
public sealed class OrganizationRoleProvisioning(AuditLog audit, TimeProvider clock)
{
    /// <summary>
    /// Gives the user <paramref name="role"/> (null: the platform's default) as a hand-set role, which mapping files then
    /// leave alone. Returns false when the user already had exactly that hand-set role.
    /// </summary>
    public bool SetRole(User user, OrganizationRole? role, ProvisioningContext context)
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
