using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Filtering;

/// <summary>A resource id (GUID, caseExact): eq and ne. A value that is no GUID matches no resource.</summary>
internal sealed class GuidFilterAttribute(LambdaExpression column) : FilterAttribute(column)
{
    public override Expression Compare(Expression target, ComparisonFilter filter)
    {
        if (filter.Operator is not (ComparisonOperator.Eq or ComparisonOperator.Ne))
        {
            throw ScimException.InvalidFilter(
                $"Invalid filter: '{filter.Path}' is an identifier and supports only 'eq', 'ne' and 'pr', not '{Name(filter.Operator)}'.");
        }

        if (filter.Value is null)
        {
            return CompareWithNull(target, filter);
        }

        if (!Guid.TryParse(Text(filter.Value), out var id))
        {
            return Expression.Constant(filter.Operator == ComparisonOperator.Ne);
        }

        return Ordered(filter, Bound(target), ValueBox.Of(id), "identifier");
    }

    public override Expression Present(Expression target) => Expression.Constant(true);
}

/// <summary>A boolean: eq and ne only (RFC 7644: gt/ge/lt/le on booleans is an invalid filter).</summary>
internal sealed class BooleanFilterAttribute(LambdaExpression column) : FilterAttribute(column)
{
    public override Expression Compare(Expression target, ComparisonFilter filter)
    {
        if (filter.Operator is not (ComparisonOperator.Eq or ComparisonOperator.Ne))
        {
            throw Unsupported(filter, "boolean");
        }

        if (filter.Value is null)
        {
            return CompareWithNull(target, filter);
        }

        var value = filter.Value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            // Lenient: some clients quote booleans.
            _ when bool.TryParse(Text(filter.Value), out var parsed) => parsed,
            _ => throw ScimException.InvalidFilter(
                $"Invalid filter: '{filter.Path}' is a boolean and cannot be compared with {filter.Value.ToJsonString()}."),
        };
        return Ordered(filter, Bound(target), ValueBox.Of(value), "boolean");
    }

    public override Expression Present(Expression target) => Expression.Constant(true);
}

/// <summary>An xsd:dateTime (meta.created, meta.lastModified): eq, ne and ordering, compared as instants.</summary>
internal sealed class DateTimeFilterAttribute(LambdaExpression column) : FilterAttribute(column)
{
    public override Expression Compare(Expression target, ComparisonFilter filter)
    {
        if (filter.Value is null)
        {
            return CompareWithNull(target, filter);
        }

        if (filter.Operator is ComparisonOperator.Co or ComparisonOperator.Sw or ComparisonOperator.Ew)
        {
            throw Unsupported(filter, "dateTime");
        }

        if (!DateTimeOffset.TryParse(Text(filter.Value), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            throw ScimException.InvalidFilter(
                $"Invalid filter: '{filter.Path}' is a dateTime and '{Text(filter.Value)}' is not one (expected e.g. 2024-05-01T10:00:00Z).");
        }

        // Npgsql only writes UTC offsets to timestamptz; the instant is the same.
        return Ordered(filter, Bound(target), ValueBox.Of(instant.ToUniversalTime()), "dateTime");
    }

    public override Expression Present(Expression target) => Expression.Constant(true);
}

/// <summary>An attribute stored as an enum (e.g. members.type): eq and ne, names compared case-insensitively.</summary>
internal sealed class EnumFilterAttribute<TEnum>(LambdaExpression column) : FilterAttribute(column)
    where TEnum : struct, Enum
{
    public override Expression Compare(Expression target, ComparisonFilter filter)
    {
        if (filter.Operator is not (ComparisonOperator.Eq or ComparisonOperator.Ne))
        {
            throw Unsupported(filter, "enumerated");
        }

        if (filter.Value is null)
        {
            return CompareWithNull(target, filter);
        }

        if (!Enum.TryParse<TEnum>(Text(filter.Value), ignoreCase: true, out var value) || !Enum.IsDefined(value))
        {
            return Expression.Constant(filter.Operator == ComparisonOperator.Ne);
        }

        return Ordered(filter, Bound(target), ValueBox.Of(value), "enumerated");
    }

    public override Expression Present(Expression target) => Expression.Constant(true);
}
