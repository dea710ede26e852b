using System.Linq.Expressions;

namespace ScimBridge.Scim.Filtering;

/// <summary>
/// A multi-valued complex attribute (emails, phoneNumbers, members). A filter on it means "some element matches" and
/// becomes one SQL EXISTS: <c>emails[type eq "work" and value co "@x"]</c> puts both conditions in the same subquery.
/// </summary>
internal sealed class CollectionFilterAttribute
{
    private readonly Type _elementType;
    private readonly Func<Expression, LambdaExpression?, Expression> _any;
    private readonly LambdaExpression? _sortKey;

    private CollectionFilterAttribute(
        Type elementType, AttributeScope elements, Func<Expression, LambdaExpression?, Expression> any, LambdaExpression? sortKey)
    {
        _elementType = elementType;
        Elements = elements;
        _any = any;
        _sortKey = sortKey;
    }

    /// <summary>The sub-attributes of one element.</summary>
    public AttributeScope Elements { get; }

    /// <summary>Some element exists (and satisfies <paramref name="predicate"/>, if given).</summary>
    public Expression Any(Expression target, Func<ParameterExpression, Expression>? predicate)
    {
        var element = Expression.Parameter(_elementType, "e");
        return _any(target, predicate is null ? null : Expression.Lambda(predicate(element), element));
    }

    public Expression? SortKey(Expression target) => _sortKey is null ? null : ParameterReplacer.Bind(_sortKey, target);

    /// <summary>A collection navigation of the entity (<c>u =&gt; u.Emails</c>).</summary>
    public static CollectionFilterAttribute Navigation<TEntity, TElement>(
        Expression<Func<TEntity, IEnumerable<TElement>>> navigation, AttributeScope elements, LambdaExpression? sortKey = null) =>
        new(typeof(TElement), elements, (target, predicate) =>
        {
            var collection = ParameterReplacer.Bind(navigation, target);
            return predicate is null
                ? Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [typeof(TElement)], collection)
                : Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [typeof(TElement)], collection, predicate);
        }, sortKey);

    /// <summary>Rows of another query correlated with the entity (<c>(g, m) =&gt; m.GroupId == g.Id</c>); never loaded.</summary>
    public static CollectionFilterAttribute Correlated<TEntity, TElement>(
        IQueryable<TElement> source, Expression<Func<TEntity, TElement, bool>> correlation, AttributeScope elements) =>
        new(typeof(TElement), elements, (target, predicate) =>
        {
            var element = predicate?.Parameters[0] ?? Expression.Parameter(typeof(TElement), "e");
            var body = new ParameterReplacer(correlation.Parameters[1], element)
                .Visit(new ParameterReplacer(correlation.Parameters[0], target).Visit(correlation.Body));
            if (predicate is not null)
            {
                body = Expression.AndAlso(body, predicate.Body);
            }

            return Expression.Call(
                typeof(Queryable), nameof(Queryable.Any), [typeof(TElement)], source.Expression, Expression.Quote(Expression.Lambda(body, element)));
        }, null);
}
