using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace ScimBridge.Scim.Filtering;

/// <summary>How a string attribute honours RFC 7643 <c>caseExact</c>.</summary>
internal enum StringCase
{
    /// <summary>caseExact=true: compared as stored.</summary>
    Exact,

    /// <summary>caseExact=false, with an upper-invariant column kept by the domain (indexable).</summary>
    Normalized,

    /// <summary>caseExact=false without such a column: <c>UPPER(column)</c> against an upper-cased value.</summary>
    Upper,
}

/// <summary>A string attribute: every operator, with the attribute's case rule.</summary>
internal sealed class StringFilterAttribute(LambdaExpression column, StringCase rule, LambdaExpression? normalizedColumn = null)
    : FilterAttribute(column)
{
    private static readonly MethodInfo ToUpper = typeof(string).GetMethod(nameof(string.ToUpper), Type.EmptyTypes)!;
    private static readonly MethodInfo Contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo StartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
    private static readonly MethodInfo EndsWith = typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string)])!;
    private static readonly MethodInfo ForceParameter =
        typeof(EF).GetMethod(nameof(EF.Parameter))!.MakeGenericMethod(typeof(string));
    private static readonly MethodInfo Substring = typeof(string).GetMethod(nameof(string.Substring), [typeof(int), typeof(int)])!;
    private static readonly MethodInfo CompareStrings = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    public override Expression Compare(Expression target, ComparisonFilter filter)
    {
        var text = Text(filter.Value);
        if (text is null)
        {
            return CompareWithNull(target, filter);
        }

        var left = Comparable(target);
        var value = rule switch
        {
            StringCase.Exact => text,
            // The normalized columns hold Trim().ToUpperInvariant(); a whole-value comparison normalizes the same way.
            StringCase.Normalized when filter.Operator is not (ComparisonOperator.Co or ComparisonOperator.Sw or ComparisonOperator.Ew) =>
                text.Trim().ToUpperInvariant(),
            StringCase.Normalized => text.ToUpperInvariant(),
            _ => text,
        };

        // Upper: the database upper-cases both sides, so the value is folded exactly like the column (SQLite's
        // upper() only folds ASCII; .NET would fold 'é' too and never match a stored 'José').
        Expression right = rule == StringCase.Upper
            ? Expression.Call(Expression.Call(ForceParameter, ValueBox.Of(value)), ToUpper)
            : ValueBox.Of(value);
        if (rule == StringCase.Exact && filter.Operator is ComparisonOperator.Sw or ComparisonOperator.Ew)
        {
            // SQLite's LIKE (which StartsWith/EndsWith become) ignores ASCII case; compare the affix exactly instead.
            return ExactAffix(left, right, value.Length, filter.Operator == ComparisonOperator.Sw);
        }

        return filter.Operator switch
        {
            ComparisonOperator.Eq => Expression.Equal(left, right),
            ComparisonOperator.Ne => Expression.NotEqual(left, right),
            ComparisonOperator.Co => Expression.Call(left, Contains, right),
            ComparisonOperator.Sw => Expression.Call(left, StartsWith, right),
            ComparisonOperator.Ew => Expression.Call(left, EndsWith, right),
            _ => Ordered(filter, Expression.Call(CompareStrings, left, right), Expression.Constant(0), "string"),
        };
    }

    /// <summary><c>substr(column, start, length(value)) = value</c>, with start at the beginning or the end.</summary>
    private static BinaryExpression ExactAffix(Expression column, Expression value, int valueLength, bool atStart)
    {
        var length = ValueBox.Of(valueLength);
        var columnLength = Expression.Property(column, nameof(string.Length));
        Expression start = atStart ? Expression.Constant(0) : Expression.Subtract(columnLength, length);
        return Expression.AndAlso(
            Expression.GreaterThanOrEqual(columnLength, length),
            Expression.Equal(Expression.Call(column, Substring, start, length), value));
    }

    public override Expression Present(Expression target)
    {
        var column = Bound(target);
        return Expression.AndAlso(
            Expression.NotEqual(column, Expression.Constant(null, typeof(string))),
            Expression.NotEqual(column, Expression.Constant("")));
    }

    public override Expression SortKey(Expression target) => Comparable(target);

    private Expression Comparable(Expression target) => rule switch
    {
        StringCase.Exact => Bound(target),
        StringCase.Normalized => ParameterReplacer.Bind(normalizedColumn!, target),
        StringCase.Upper => Expression.Call(Bound(target), ToUpper),
        _ => throw new InvalidOperationException($"Unknown case rule {rule}."),
    };
}
