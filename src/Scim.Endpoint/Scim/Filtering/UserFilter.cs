using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Filtering;

/// <summary>
/// Translates a SCIM filter into a SQL predicate over users (never evaluated in memory); values become SQL parameters.
/// Unknown attributes and operators that do not fit an attribute's type throw <c>invalidFilter</c>.
/// </summary>
public static class UserFilter
{
    /// <summary>The users that match; <paramref name="addresses"/> answers filters on <c>addresses</c> (an EXISTS over the stored JSON).</summary>
    public static IQueryable<User> Apply(IQueryable<User> users, FilterNode filter, IQueryable<UserAddressRow> addresses) =>
        users.Where(FilterTranslator.ToPredicate<User>(filter, UserFilterAttributes.WithAddresses(addresses)));
}
