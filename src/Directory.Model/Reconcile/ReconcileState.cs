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

    /// <summary>
    /// Current members of the managed groups: all of them for a full read; for an incremental one, the members of the
    /// groups it names and every membership of the users that left (what the planner looks at).
    /// </summary>
    public IReadOnlyList<ManagedMember> Members { get; init; } = [];

    /// <summary>Normalized userName → ManagedBy of users the source does not manage.</summary>
    public IReadOnlyDictionary<string, string> OtherUserNames { get; init; } = new Dictionary<string, string>();

    /// <summary>Source key → <see cref="ProfileFingerprint"/> of the incoming profile, when the loader computed them already.</summary>
    public IReadOnlyDictionary<string, string> IncomingFingerprints { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The users by source key and the users that left, as the loader worked them out for the snapshot it read (it needs
    /// the departed users to read their memberships); the planner works them out itself for any other pairing.
    /// </summary>
    internal UserLookup? Lookup { get; init; }

    internal UserLookup? LookupFor(DirectorySnapshot snapshot) =>
        Lookup is { } lookup && ReferenceEquals(lookup.Snapshot, snapshot) && ReferenceEquals(lookup.Users, Users) ? lookup : null;

    internal string FingerprintOf(SourceUser user) =>
        IncomingFingerprints.TryGetValue(user.Key, out var fingerprint) ? fingerprint : ProfileFingerprint.Of(user.Profile);
}

/// <summary>
/// Lookups over the stored users (<paramref name="Index"/>), and those of them that left the source by
/// <paramref name="Snapshot"/> (see <see cref="ReconcilePlanner.Departed"/>).
/// </summary>
internal sealed record UserLookup(DirectorySnapshot Snapshot, StoredIndex Index, List<(ManagedUser User, DeactivationReason Reason)> Departed)
{
    public IReadOnlyList<ManagedUser> Users => Index.Users;
}

/// <summary>
/// A user the source manages, as stored. <see cref="Profile"/> is null when the loader found the stored
/// <see cref="Fingerprint"/> equal to the incoming one (nothing to compare); otherwise it is the stored profile. The
/// loader reads <see cref="Fingerprint"/> only for the users the source returned (null for the others).
/// </summary>
public sealed record ManagedUser(Guid Id, string SourceKey, string UserName, bool Active, string? DeactivatedBy, bool Deleted)
{
    public string? Fingerprint { get; init; }
    public UserProfile? Profile { get; init; }

    /// <summary>A managed user with its full stored profile (fingerprint unknown).</summary>
    public static ManagedUser WithProfile(Guid id, string sourceKey, UserProfile profile, string? deactivatedBy = null, bool deleted = false) =>
        new(id, sourceKey, profile.UserName, profile.Active, deactivatedBy, deleted) { Profile = profile };
}

/// <summary>A group the source manages, as stored; <paramref name="SourceKey"/> is the group's <c>ExternalId</c>.</summary>
public sealed record ManagedGroup(Guid Id, string SourceKey, string DisplayName, string? DistinguishedName, bool Deleted);

/// <summary>One stored member of a managed group.</summary>
public readonly record struct ManagedMember(Guid GroupId, Guid MemberId, bool IsGroup);
