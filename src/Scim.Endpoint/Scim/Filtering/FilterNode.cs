using System.Text.Json.Nodes;

namespace ScimBridge.Scim.Filtering;

/// <summary>A parsed RFC 7644 §3.4.2.2 filter expression.</summary>
public abstract record FilterNode;

/// <summary><c>attrPath op value</c>; the value is a JSON string, number, boolean, or null.</summary>
public sealed record ComparisonFilter(AttributePath Path, ComparisonOperator Operator, JsonNode? Value) : FilterNode
{
    public bool Equals(ComparisonFilter? other) =>
        other is not null && Path == other.Path && Operator == other.Operator && JsonNode.DeepEquals(Value, other.Value);

    public override int GetHashCode() => HashCode.Combine(Path, Operator, Value?.ToJsonString());

    public override string ToString() => $"{Path} {Operator.ToString().ToLowerInvariant()} {Value?.ToJsonString() ?? "null"}";
}

/// <summary><c>attrPath pr</c>: the attribute has a non-empty value.</summary>
public sealed record PresentFilter(AttributePath Path) : FilterNode
{
    public override string ToString() => $"{Path} pr";
}

/// <summary><c>left and right</c>.</summary>
public sealed record AndFilter(FilterNode Left, FilterNode Right) : FilterNode
{
    public override string ToString() => $"({Left} and {Right})";
}

/// <summary><c>left or right</c>.</summary>
public sealed record OrFilter(FilterNode Left, FilterNode Right) : FilterNode
{
    public override string ToString() => $"({Left} or {Right})";
}

/// <summary><c>not (inner)</c>.</summary>
public sealed record NotFilter(FilterNode Inner) : FilterNode
{
    public override string ToString() => $"not ({Inner})";
}

/// <summary><c>attr[filter]</c>: some element of a complex attribute matches <see cref="Filter"/>, whose paths name sub-attributes.</summary>
public sealed record ValuePathFilter(AttributePath Path, FilterNode Filter) : FilterNode
{
    public override string ToString() => $"{Path}[{Filter}]";
}

/// <summary>The comparison operators of RFC 7644 table 3.</summary>
public enum ComparisonOperator
{
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}
