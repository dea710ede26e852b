using ScimBridge.Model.Users;

namespace ScimBridge.Model.Reconcile;

/// <summary>
/// What the directory holds for one source before a run: the users and groups it manages, their memberships, and the
/// userNames held by everyone else in the organization (which the source must never take over).
/// </summary>
public sealed record ReconcileState
{
    public IReadOnlyList<ManagedUser> Users { get; init; } = [];
    public IReadOnlyList<ManagedGroup> Groups { get; init; } = [];

    /// <summary>Current members of the managed groups.</summary>
    public IReadOnlyList<ManagedMember> Members { get; init; } = [];

    /// <summary>Normalized userName → ManagedBy of users the source does not manage.</summary>
    public IReadOnlyDictionary<string, string> OtherUserNames { get; init; } = new Dictionary<string, string>();
}

/// <summary>A user the source manages, as stored. <paramref name="DeactivatedBy"/> is the source that deactivated it, if any.</summary>
public sealed record ManagedUser(Guid Id, string SourceKey, UserProfile Profile, string? DeactivatedBy, bool Deleted)
{
    public bool Active => Profile.Active;
}

/// <summary>A group the source manages, as stored; <paramref name="SourceKey"/> is the group's <c>ExternalId</c>.</summary>
public sealed record ManagedGroup(Guid Id, string SourceKey, string DisplayName, string? DistinguishedName, bool Deleted);

/// <summary>One stored member of a managed group.</summary>
public readonly record struct ManagedMember(Guid GroupId, Guid MemberId, bool IsGroup);
