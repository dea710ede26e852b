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
        _ = organizationId;
        _ = userIds;
        _ = actor;
        _ = ct;
        return Task.CompletedTask;
    }
}
