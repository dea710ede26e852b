using System.Linq.Expressions;

namespace ScimBridge.Scim.Filtering;

/// <summary>
/// Holds a filter value so the expression tree reads it through a member access. EF Core turns such accesses into
/// SQL parameters (a bare constant would be inlined as a literal), so one query plan serves every value of a filter shape.
/// </summary>
internal sealed class ValueBox<T>(T value)
{
    public T Value { get; } = value;
}

internal static class ValueBox
{
    public static MemberExpression Of<T>(T value) =>
        Expression.Property(Expression.Constant(new ValueBox<T>(value)), nameof(ValueBox<T>.Value));
}

/// <summary>Substitutes the parameter of a column selector with the expression being filtered.</summary>
internal sealed class ParameterReplacer(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
{
    public static Expression Bind(LambdaExpression selector, Expression target) =>
        new ParameterReplacer(selector.Parameters[0], target).Visit(selector.Body);

    protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : node;
}
