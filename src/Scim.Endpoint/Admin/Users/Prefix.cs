using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace ScimBridge.Scim.Admin.Users;

/// <summary>
/// "Starts with" over an upper-cased column that the database answers from an index (see the UserSearchIndexes
/// migration). SQLite compares text bytewise, so the prefix's range [prefix, prefix + U+10FFFF) is exact and uses a plain
/// or expression index. PostgreSQL's linguistic collations have no such upper bound, so there it is a LIKE, which the
/// <c>text_pattern_ops</c> indexes serve.
/// </summary>
public static class Prefix
{
    private const string Highest = "\U0010FFFF";

    public static Expression<Func<T, bool>> Of<T>(Expression<Func<T, string>> column, string prefix, bool sqlite)
    {
        var parameter = column.Parameters[0];
        Expression body;
        if (sqlite)
        {
            var upper = prefix + Highest;
            Expression<Func<string, bool>> range = value => string.Compare(value, prefix) >= 0 && string.Compare(value, upper) < 0;
            body = new Replace(range.Parameters[0], column.Body).Visit(range.Body);
        }
        else
        {
            var pattern = prefix.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            Expression<Func<string, bool>> like = value => EF.Functions.Like(value, pattern, "\\");
            body = new Replace(like.Parameters[0], column.Body).Visit(like.Body);
        }

        return Expression.Lambda<Func<T, bool>>(body, parameter);
    }

    /// <summary>The body of <paramref name="condition"/> with its parameter replaced by <paramref name="target"/>, to combine conditions.</summary>
    public static Expression On<T>(ParameterExpression target, Expression<Func<T, bool>> condition) =>
        new Replace(condition.Parameters[0], target).Visit(condition.Body);

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
