using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Filtering;

/// <summary>
/// Translates a SCIM filter into a SQL predicate over users (never evaluated in memory); values become SQL parameters.
/// Unknown attributes and operators that do not fit an attribute's type throw <c>invalidFilter</c>.
/// </summary>
public static class UserFilter
{
    public static IQueryable<User> Apply(IQueryable<User> users, FilterNode filter) =>
        users.Where(FilterTranslator.ToPredicate<User>(filter, UserFilterAttributes.Scope));
}
