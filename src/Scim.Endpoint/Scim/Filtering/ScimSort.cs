using ScimBridge.Model.Groups;
using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Filtering;

/// <summary>RFC 7644 §3.4.2.3 sorting.</summary>
public static class ScimSort
{
    public static IQueryable<User> Apply(IQueryable<User> users, string? sortBy, string? sortOrder) => throw new NotImplementedException();

    public static IQueryable<DirectoryGroup> Apply(IQueryable<DirectoryGroup> groups, string? sortBy, string? sortOrder) =>
        throw new NotImplementedException();
}
