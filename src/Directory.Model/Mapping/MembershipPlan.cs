using ScimBridge.Model.Organizations;
using ScimBridge.Model.Teams;

namespace ScimBridge.Model.Mapping;

/// <summary>What a mapping file changes for an organization's users; written by <see cref="MembershipPlanWriter"/> or printed by a preview.</summary>
public sealed class MembershipPlan(Guid organizationId, MappingFile file)
{
    public Guid OrganizationId { get; } = organizationId;
    public MappingFile File { get; } = file;

    /// <summary>Teams the file names that do not exist yet and will be created.</summary>
    public List<string> TeamsToCreate { get; } = [];

    /// <summary>Only users with at least one change.</summary>
    public List<UserPlan> Users { get; } = [];

    public int MembershipChanges => Users.Sum(u => u.Memberships.Count);

    public bool IsEmpty => Users.Count == 0 && TeamsToCreate.Count == 0;

    /// <summary>One line of counts, e.g. "2 users change: 1 memberships added, 0 removed, …".</summary>
    public string Summary() =>
        $"{Users.Count} users change: {Count(MembershipChangeKind.Added)} memberships added, {Count(MembershipChangeKind.Removed)} removed, " +
        $"{Count(MembershipChangeKind.RoleChanged)} role changes, {Users.Count(u => u.Activation == ActivationChange.Deactivate)} deactivations, " +
        $"{Users.Count(u => u.Activation == ActivationChange.Reactivate)} reactivations";

    private int Count(MembershipChangeKind kind) => Users.Sum(u => u.Memberships.Count(m => m.Kind == kind));
}

/// <summary>The changes for one user.</summary>
public sealed class UserPlan(MappedUser before)
{
    public Guid UserId => Before.Id;

    /// <summary>The user as it was read; the writer derives final values from it and the changes.</summary>
    public MappedUser Before { get; } = before;
    public List<MembershipChange> Memberships { get; } = [];
    public OrganizationRoleChange? OrganizationRole { get; set; }
    public ActivationChange? Activation { get; set; }
    public DefaultTeamChange? DefaultTeam { get; set; }

    public Guid? FinalDefaultTeamId => DefaultTeam is { } change ? change.New : Before.DefaultTeamId;

    public OrganizationRole? FinalOrganizationRole => OrganizationRole is { } change ? change.New : Before.OrganizationRole;

    public bool FinalOrganizationRoleFromMapping => OrganizationRole is { } change ? change.New is not null : Before.OrganizationRoleFromMapping;
}

/// <summary>Kinds of change to a mapped membership.</summary>
public enum MembershipChangeKind
{
    Added,
    Removed,
    RoleChanged,
}

/// <summary>One mapped membership to add (new row or revived soft-removed row), remove (soft) or re-role.</summary>
/// <param name="ExistingId">The stored row, when there is one.</param>
/// <param name="Cause">The rule, group and file version that grant it, or why it goes.</param>
public sealed record MembershipChange(
    MembershipChangeKind Kind, Guid TeamId, string TeamName, TeamRole? OldRole, TeamRole? NewRole, Guid? ExistingId, string Cause);

/// <summary>An organization role set or cleared by the mapping.</summary>
public sealed record OrganizationRoleChange(OrganizationRole? Old, OrganizationRole? New);

/// <summary>A default team chosen because the old one is not among the user's teams any more.</summary>
public sealed record DefaultTeamChange(Guid? Old, Guid? New);

/// <summary>Deactivation of an unmapped user, or reactivation of a user the mapping had deactivated.</summary>
public enum ActivationChange
{
    Deactivate,
    Reactivate,
}
