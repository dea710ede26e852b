using ScimBridge.Model.Audit;

namespace ScimBridge.Model.Provisioning;

/// <summary>
/// Brings users' derived team memberships in line with their groups and the organization's mapping file.
/// Called after every group or user change, by SCIM and by sync alike. Stages changes; the caller saves.
/// </summary>
public sealed class MembershipProvisioning
{
    /// <summary>Recomputes the derived memberships of the given users.</summary>
    public Task RecomputeUsersAsync(Guid organizationId, IReadOnlyCollection<Guid> userIds, AuditActor actor, CancellationToken ct)
    {
        // Filled in by the mapping engine (issue 3).
        _ = (organizationId, userIds, actor, ct);
        return Task.CompletedTask;
    }

    /// <summary>Recomputes the derived memberships of every user in these groups, directly or through nested groups.</summary>
    public Task RecomputeGroupsAsync(Guid organizationId, IReadOnlyCollection<Guid> groupIds, AuditActor actor, CancellationToken ct)
    {
        // Filled in by the mapping engine (issue 3).
        _ = (organizationId, groupIds, actor, ct);
        return Task.CompletedTask;
    }
}
