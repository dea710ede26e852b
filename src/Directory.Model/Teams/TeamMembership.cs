namespace ScimBridge.Model.Teams;

/// <summary>A user's role in a team from one origin. Manual and mapped rows are kept apart; the effective role is the highest active one.</summary>
public sealed class TeamMembership
{
    public Guid Id { get; set; } = EntityIds.New();
    public Guid OrganizationId { get; set; }
    public Guid TeamId { get; set; }
    public Guid UserId { get; set; }
    public TeamRole Role { get; set; }
    public MembershipOrigin Origin { get; set; }

    /// <summary>Why the membership exists, e.g. the rule and group that grant it.</summary>
    public string? Cause { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Removal is soft so that it can be undone and its history stays.</summary>
    public DateTimeOffset? RemovedAt { get; set; }

    public bool IsActive => RemovedAt is null;
}
