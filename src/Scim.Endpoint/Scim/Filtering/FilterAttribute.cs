using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Filtering;

/// <summary>A single-valued attribute that filters translate to a SQL predicate over the column(s) behind it.</summary>
internal abstract class FilterAttribute(LambdaExpression column)
{
    /// <summary>The column selector, e.g. <c>u =&gt; u.Title</c>.</summary>
    protected LambdaExpression Column { get; } = column;

    public abstract Expression Compare(Expression target, ComparisonFilter filter);

    public abstract Expression Present(Expression target);

    /// <summary>The expression to order by; null when the attribute cannot be sorted.</summary>
    public virtual Expression? SortKey(Expression target) => ParameterReplacer.Bind(Column, target);

    protected Expression Bound(Expression target) => ParameterReplacer.Bind(Column, target);

    protected static string Name(ComparisonOperator op) => op.ToString().ToLowerInvariant();

    protected static ScimException Unsupported(ComparisonFilter filter, string kind) =>
        ScimException.InvalidFilter(
            $"Invalid filter: '{Name(filter.Operator)}' cannot be applied to the {kind} attribute '{filter.Path}'.");

    /// <summary>The value as text: strings as they are, numbers and booleans as written.</summary>
    protected static string? Text(JsonNode? value) => value switch
    {
        null => null,
        _ when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    /// <summary>eq/ne/gt/ge/lt/le between two expressions of the same type (ordering via the type's operators).</summary>
    protected static Expression Ordered(ComparisonFilter filter, Expression left, Expression right, string kind) => filter.Operator switch
    {
        ComparisonOperator.Eq => Expression.Equal(left, right),
        ComparisonOperator.Ne => Expression.NotEqual(left, right),
        ComparisonOperator.Gt => Expression.GreaterThan(left, right),
        ComparisonOperator.Ge => Expression.GreaterThanOrEqual(left, right),
        ComparisonOperator.Lt => Expression.LessThan(left, right),
        ComparisonOperator.Le => Expression.LessThanOrEqual(left, right),
        _ => throw Unsupported(filter, kind),
    };

    /// <summary>Null compared with eq/ne means absence/presence; any other operator is meaningless.</summary>
    protected Expression CompareWithNull(Expression target, ComparisonFilter filter) => filter.Operator switch
    {
        ComparisonOperator.Eq => Expression.Not(Present(target)),
        ComparisonOperator.Ne => Present(target),
        _ => throw ScimException.InvalidFilter($"Invalid filter: '{Name(filter.Operator)}' cannot compare '{filter.Path}' with null."),
    };
}
