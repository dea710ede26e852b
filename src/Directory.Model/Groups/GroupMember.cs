namespace ScimBridge.Model.Groups;

/// <summary>One member of a directory group: a user or a nested group.</summary>
public sealed class GroupMember
{
    public Guid GroupId { get; set; }
    public Guid MemberId { get; set; }
    public GroupMemberType MemberType { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

/// <summary>What a group member is.</summary>
public enum GroupMemberType
{
    User,
    Group,
}
