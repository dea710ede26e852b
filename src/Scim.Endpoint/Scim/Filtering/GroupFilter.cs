using ScimBridge.Model.Groups;

namespace ScimBridge.Scim.Filtering;

/// <summary>
/// Translates a SCIM filter into a SQL predicate over groups. <c>members.value eq "…"</c> becomes EXISTS over
/// <paramref name="members"/> (pass <c>db.MemberEdges</c>); members are never loaded.
/// </summary>
public static class GroupFilter
{
    public static IQueryable<DirectoryGroup> Apply(IQueryable<DirectoryGroup> groups, FilterNode filter, IQueryable<MemberEdge> members) =>
        groups.Where(FilterTranslator.ToPredicate<DirectoryGroup>(filter, GroupFilterAttributes.WithMembers(members)));
}
