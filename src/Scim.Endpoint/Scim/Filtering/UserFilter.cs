using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Filtering;

/// <summary>Translates a SCIM filter into a SQL-translatable predicate over users.</summary>
public static class UserFilter
{
    public static IQueryable<User> Apply(IQueryable<User> users, FilterNode filter) => throw new NotImplementedException();
}
