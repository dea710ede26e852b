using System.Linq.Expressions;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Filtering;

/// <summary>
/// RFC 7644 §3.4.2.3 sorting by any single-valued filterable attribute (<c>emails</c> sorts by the primary address),
/// ascending unless <c>sortOrder=descending</c>, always followed by the id so that paging is stable. Without sortBy
/// results are ordered by id. An unknown sortBy or sortOrder is answered with 400 <c>invalidValue</c>: the request
/// parameter's value is wrong, there is no filter involved.
/// </summary>
public static class ScimSort
{
    public static IQueryable<User> Apply(IQueryable<User> users, string? sortBy, string? sortOrder) =>
        Apply(users, sortBy, sortOrder, UserFilterAttributes.Scope, u => u.Id);

    public static IQueryable<DirectoryGroup> Apply(IQueryable<DirectoryGroup> groups, string? sortBy, string? sortOrder) =>
        Apply(groups, sortBy, sortOrder, GroupFilterAttributes.Scope, g => g.Id);

    private static IQueryable<T> Apply<T>(
        IQueryable<T> source, string? sortBy, string? sortOrder, AttributeScope scope, Expression<Func<T, Guid>> id)
    {
        var descending = sortOrder?.Trim().ToLowerInvariant() switch
        {
            null or "" or "ascending" => false,
            "descending" => true,
            _ => throw ScimException.InvalidValue($"sortOrder must be 'ascending' or 'descending', not '{sortOrder}'."),
        };
        if (string.IsNullOrWhiteSpace(sortBy))
        {
            return descending ? source.OrderByDescending(id) : source.OrderBy(id);
        }

        if (!AttributePath.TryParse(sortBy.Trim(), out var path, out _))
        {
            throw ScimException.InvalidValue($"sortBy '{sortBy}' is not an attribute path.");
        }

        var resource = Expression.Parameter(typeof(T), "r");
        var key = (scope.FindScalar(path)?.SortKey(resource)
                ?? (path.SubAttribute is null or "value" ? scope.FindCollection(path)?.SortKey(resource) : null))
            ?? throw ScimException.InvalidValue($"sortBy '{sortBy}' is not a sortable attribute of {scope.Resource}.");
        var ordered = (IOrderedQueryable<T>)source.Provider.CreateQuery<T>(Expression.Call(
            typeof(Queryable),
            descending ? nameof(Queryable.OrderByDescending) : nameof(Queryable.OrderBy),
            [typeof(T), key.Type],
            source.Expression,
            Expression.Quote(Expression.Lambda(key, resource))));
        return descending ? ordered.ThenByDescending(id) : ordered.ThenBy(id);
    }
}
