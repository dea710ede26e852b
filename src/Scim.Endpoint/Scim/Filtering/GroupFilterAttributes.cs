using System.Linq.Expressions;
using ScimBridge.Model.Groups;

namespace ScimBridge.Scim.Filtering;

/// <summary>Which column answers each filterable SCIM Group attribute; members are added per query (see <see cref="GroupFilter"/>).</summary>
internal static class GroupFilterAttributes
{
    public static readonly AttributeScope Scope = new AttributeScope("Group")
        .Add(ScimUrns.Group, "id", new GuidFilterAttribute((Expression<Func<DirectoryGroup, Guid>>)(g => g.Id)))
        .Add(ScimUrns.Group, "displayName", new StringFilterAttribute(
            UserFilterAttributes.Column<DirectoryGroup>(g => g.DisplayName), StringCase.Normalized,
            UserFilterAttributes.Column<DirectoryGroup>(g => g.NormalizedDisplayName)))
        .Add(ScimUrns.Group, "externalId", UserFilterAttributes.Exact<DirectoryGroup>(g => g.ExternalId))
        .Add(ScimUrns.Group, "meta.created", new DateTimeFilterAttribute((Expression<Func<DirectoryGroup, DateTimeOffset>>)(g => g.CreatedAt)))
        .Add(ScimUrns.Group, "meta.lastModified", new DateTimeFilterAttribute((Expression<Func<DirectoryGroup, DateTimeOffset>>)(g => g.UpdatedAt)));

    private static readonly AttributeScope Member = new AttributeScope("Group.members")
        .Add(ScimUrns.Group, "value", new GuidFilterAttribute((Expression<Func<MemberEdge, Guid>>)(m => m.MemberId)))
        .Add(ScimUrns.Group, "type", new EnumFilterAttribute<GroupMemberType>((Expression<Func<MemberEdge, GroupMemberType>>)(m => m.MemberType)));

    /// <summary>The group attributes plus <c>members</c>, answered by EXISTS over <paramref name="members"/>.</summary>
    public static AttributeScope WithMembers(IQueryable<MemberEdge> members) =>
        Scope.With(ScimUrns.Group, "members", CollectionFilterAttribute.Correlated<DirectoryGroup, MemberEdge>(
            members, (g, m) => m.GroupId == g.Id, Member));
}
