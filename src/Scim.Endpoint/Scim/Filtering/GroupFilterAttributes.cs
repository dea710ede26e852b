using System.Linq.Expressions;
using ScimBridge.Model.Groups;

namespace ScimBridge.Scim.Filtering;

/// <summary>Which column answers each filterable SCIM Group attribute; members are added per query (see <see cref="GroupFilter"/>).</summary>
internal static class GroupFilterAttributes
{
    public static readonly AttributeScope Scope = new AttributeScope("Group")
        .Add(ScimSchemaUrns.Group, "id", new GuidFilterAttribute((Expression<Func<DirectoryGroup, Guid>>)(g => g.Id)))
        .Add(ScimSchemaUrns.Group, "displayName", new StringFilterAttribute(
            UserFilterAttributes.Column<DirectoryGroup>(g => g.DisplayName), StringCase.Normalized,
            UserFilterAttributes.Column<DirectoryGroup>(g => g.NormalizedDisplayName)))
        .Add(ScimSchemaUrns.Group, "externalId", UserFilterAttributes.Exact<DirectoryGroup>(g => g.ExternalId))
        .Add(ScimSchemaUrns.Group, "meta.created", new DateTimeFilterAttribute((Expression<Func<DirectoryGroup, DateTimeOffset>>)(g => g.CreatedAt)))
        .Add(ScimSchemaUrns.Group, "meta.lastModified", new DateTimeFilterAttribute((Expression<Func<DirectoryGroup, DateTimeOffset>>)(g => g.UpdatedAt)));

    private static readonly AttributeScope Member = new AttributeScope("Group.members")
        .Add(ScimSchemaUrns.Group, "value", new GuidFilterAttribute((Expression<Func<GroupMember, Guid>>)(m => m.MemberId)))
        .Add(ScimSchemaUrns.Group, "type", new EnumFilterAttribute<GroupMemberType>((Expression<Func<GroupMember, GroupMemberType>>)(m => m.MemberType)));

    /// <summary>The group attributes plus <c>members</c>, answered by EXISTS over <paramref name="members"/>.</summary>
    public static AttributeScope WithMembers(IQueryable<GroupMember> members) =>
        Scope.With(ScimSchemaUrns.Group, "members", CollectionFilterAttribute.Correlated<DirectoryGroup, GroupMember>(
            members, (g, m) => m.GroupId == g.Id, Member));
}
