using ScimBridge.Model.Mapping;
using ScimBridge.Model.Teams;

namespace ScimBridge.Model.Provisioning;

/// <summary>The audit action and payload of a team membership change, the same whether a mapping file or a person made it.</summary>
internal static class MembershipAudit
{
    public static string Action(MembershipChangeKind kind) => kind switch
    {
        MembershipChangeKind.Added => "membership.added",
        MembershipChangeKind.Removed => "membership.removed",
        MembershipChangeKind.RoleChanged => "membership.role-changed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A membership as the entry's before or after shows it.</summary>
    public static object Snapshot(Guid teamId, string team, TeamRole role, MembershipOrigin origin) => new { teamId, team, role, origin };
}
