using System.Linq.Expressions;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Filtering;

/// <summary>Turns a filter AST into an expression tree over an entity, using the entity's <see cref="AttributeScope"/>.</summary>
internal static class FilterTranslator
{
    public static Expression<Func<T, bool>> ToPredicate<T>(FilterNode filter, AttributeScope scope)
    {
        var resource = Expression.Parameter(typeof(T), "r");
        return Expression.Lambda<Func<T, bool>>(Translate(filter, resource, scope), resource);
    }

    private static Expression Translate(FilterNode node, Expression target, AttributeScope scope) => node switch
    {
        AndFilter and => Expression.AndAlso(Translate(and.Left, target, scope), Translate(and.Right, target, scope)),
        OrFilter or => Expression.OrElse(Translate(or.Left, target, scope), Translate(or.Right, target, scope)),
        NotFilter not => Expression.Not(Translate(not.Inner, target, scope)),
        ComparisonFilter comparison => Comparison(comparison, target, scope),
        PresentFilter present => Presence(present, target, scope),
        ValuePathFilter valuePath => ValuePath(valuePath, target, scope),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "Unknown filter node."),
    };

    private static Expression Comparison(ComparisonFilter filter, Expression target, AttributeScope scope)
    {
        if (scope.FindCollection(filter.Path) is { } collection)
        {
            // "emails co x" compares the elements' value sub-attribute (RFC 7644 §3.4.2.2).
            var element = ElementAttribute(collection, filter.Path, filter.Path.SubAttribute ?? "value");
            return collection.Any(target, e => element.Compare(e, filter));
        }

        return (scope.FindScalar(filter.Path) ?? throw scope.Unknown(filter.Path)).Compare(target, filter);
    }

    private static Expression Presence(PresentFilter filter, Expression target, AttributeScope scope)
    {
        if (scope.FindCollection(filter.Path) is { } collection)
        {
            if (filter.Path.SubAttribute is null)
            {
                return collection.Any(target, null);
            }

            var element = ElementAttribute(collection, filter.Path, filter.Path.SubAttribute);
            return collection.Any(target, element.Present);
        }

        return (scope.FindScalar(filter.Path) ?? throw scope.Unknown(filter.Path)).Present(target);
    }

    private static Expression ValuePath(ValuePathFilter filter, Expression target, AttributeScope scope)
    {
        if (scope.FindCollection(filter.Path) is { } collection)
        {
            return collection.Any(target, e => Translate(filter.Filter, e, collection.Elements));
        }

        if (scope.IsComplex(filter.Path))
        {
            // name[givenName eq "x"] on a single-valued complex attribute is name.givenName eq "x".
            return Translate(Qualify(filter.Filter, filter.Path), target, scope);
        }

        throw ScimException.InvalidFilter($"Invalid filter: '{filter.Path}' is not a complex attribute of {scope.Resource}.");
    }

    private static FilterAttribute ElementAttribute(CollectionFilterAttribute collection, AttributePath path, string subAttribute) =>
        collection.Elements.FindScalar(new AttributePath(null, subAttribute))
        ?? throw ScimException.InvalidFilter($"Invalid filter: '{path.Name}.{subAttribute}' is not a filterable attribute.");

    private static FilterNode Qualify(FilterNode node, AttributePath outer) => node switch
    {
        AndFilter and => new AndFilter(Qualify(and.Left, outer), Qualify(and.Right, outer)),
        OrFilter or => new OrFilter(Qualify(or.Left, outer), Qualify(or.Right, outer)),
        NotFilter not => new NotFilter(Qualify(not.Inner, outer)),
        ComparisonFilter comparison => comparison with { Path = Qualify(comparison.Path, outer) },
        PresentFilter present => present with { Path = Qualify(present.Path, outer) },
        _ => throw ScimException.InvalidFilter($"Invalid filter: value paths cannot be nested inside '{outer}'."),
    };

    private static AttributePath Qualify(AttributePath inner, AttributePath outer) =>
        inner.SubAttribute is null && inner.Schema is null
            ? new AttributePath(outer.Schema, outer.Name, inner.Name)
            : throw ScimException.InvalidFilter($"Invalid filter: '{inner}' is not a sub-attribute of '{outer}'.");
}
