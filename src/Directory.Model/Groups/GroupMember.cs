namespace ScimBridge.Model.Groups;

/// <summary>
/// One stored member row of a directory group: the group's and the member's <see cref="Groups.MemberKey"/> numbers, not
/// their ids. Written only through <see cref="Persistence.ScimBridgeDbContext.AddMember"/> and
/// <see cref="Persistence.ScimBridgeDbContext.RemoveMember"/>; read as <see cref="MemberEdge"/>s.
/// </summary>
public sealed class GroupMember
{
    public long GroupKey { get; set; }
    public long MemberKey { get; set; }
    public GroupMemberType MemberType { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

/// <summary>
/// The small integer that stands for a user or a group in member rows, given the first time it appears in one. Users
/// and groups share the numbers (their ids are unique across both). Never changes or goes away once given.
/// </summary>
public sealed class MemberKey
{
    public long Key { get; set; }
    public Guid EntityId { get; set; }
}

/// <summary>One member of a directory group, by ids: a member row read through its two keys.</summary>
public sealed class MemberEdge
{
    public Guid GroupId { get; init; }
    public Guid MemberId { get; init; }
    public GroupMemberType MemberType { get; init; }
    public DateTimeOffset AddedAt { get; init; }
}

/// <summary>What a group member is.</summary>
public enum GroupMemberType
{
    User,
    Group,
}
