using ScimBridge.Model.Groups;

namespace ScimBridge.Scim.Filtering;

/// <summary>Translates a SCIM filter into a SQL-translatable predicate over groups.</summary>
public static class GroupFilter
{
    public static IQueryable<DirectoryGroup> Apply(IQueryable<DirectoryGroup> groups, FilterNode filter, IQueryable<GroupMember> members) =>
        throw new NotImplementedException();
}
