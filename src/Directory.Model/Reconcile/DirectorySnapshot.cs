using ScimBridge.Model.Users;

namespace ScimBridge.Model.Reconcile;

/// <summary>
/// What a directory source returned in one read: all users and groups (a full read) or only what changed since the
/// last read (a delta). Only a full read that the source knows to be complete may lead to deactivations by absence.
/// </summary>
public sealed record DirectorySnapshot
{
    /// <summary>True when <see cref="Users"/> and <see cref="Groups"/> are everything in scope, not just changes.</summary>
    public required bool IsFull { get; init; }

    /// <summary>Users read (all of them for a full read; changed ones for a delta).</summary>
    public IReadOnlyList<SourceUser> Users { get; init; } = [];

    /// <summary>Groups read with their direct members (all for a full read; changed ones for a delta).</summary>
    public IReadOnlyList<SourceGroup> Groups { get; init; } = [];

    /// <summary>Keys of users the source reports as deleted (delta reads only).</summary>
    public IReadOnlyList<string> RemovedUserKeys { get; init; } = [];

    /// <summary>
    /// Keys of users the source reports as moved out of its scope (a base DN or filter) since the last read (delta reads
    /// only; Active Directory's change reads).
    /// </summary>
    public IReadOnlyList<string> UserKeysLeftScope { get; init; } = [];

    /// <summary>
    /// For an incremental read: the key of every user in scope, read completely (LDAP reads the ids alone on every run).
    /// Managed users missing from it have left the source (deleted, or moved out of its base DN or filter) and are
    /// deactivated at once. Null when the source cannot tell (users are then removed only as <see cref="RemovedUserKeys"/> says).
    /// </summary>
    public IReadOnlySet<string>? UserKeysInScope { get; init; }

    /// <summary>Keys of groups the source reports as deleted (delta reads only).</summary>
    public IReadOnlyList<string> RemovedGroupKeys { get; init; } = [];

    /// <summary>Opaque cursor to hand back on the next read (LDAP highest modifyTimestamp/USN, Graph delta link).</summary>
    public string? NextDeltaState { get; init; }
}

/// <summary>A user as a source sees it. <paramref name="Key"/> is the source's stable id (entryUUID, objectGUID, object id).</summary>
public sealed record SourceUser(string Key, UserProfile Profile, bool Enabled);

/// <summary>
/// A group as a source sees it, with its direct members by source key. For a delta read, <see cref="MembersAreComplete"/>
/// is false and only <see cref="AddedMemberKeys"/> / <see cref="RemovedMemberKeys"/> are meaningful.
/// </summary>
public sealed record SourceGroup(string Key, string DisplayName)
{
    public string? DistinguishedName { get; init; }
    public bool MembersAreComplete { get; init; } = true;
    public IReadOnlyList<string> MemberUserKeys { get; init; } = [];
    public IReadOnlyList<string> MemberGroupKeys { get; init; } = [];
    public IReadOnlyList<string> AddedMemberKeys { get; init; } = [];
    public IReadOnlyList<string> RemovedMemberKeys { get; init; } = [];
}
