using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Filtering;

/// <summary>
/// Evaluates a filter against a JSON object in memory; PATCH uses it to select elements of a multi-valued attribute.
/// Attribute names are case-insensitive; strings compare case-insensitively except the values of <c>id</c> and
/// <c>externalId</c> (caseExact in RFC 7643). A complex attribute compared without a sub-attribute uses its <c>value</c>.
/// </summary>
public static class ScimFilterEvaluator
{
    private static readonly HashSet<string> CaseExactAttributes = new(StringComparer.OrdinalIgnoreCase) { "id", "externalId" };

    public static bool Matches(FilterNode filter, JsonNode? element) => filter switch
    {
        AndFilter and => Matches(and.Left, element) && Matches(and.Right, element),
        OrFilter or => Matches(or.Left, element) || Matches(or.Right, element),
        NotFilter not => !Matches(not.Inner, element),
        PresentFilter present => Values(element, present.Path).Any(IsPresent),
        ComparisonFilter comparison => Compare(element, comparison),
        ValuePathFilter valuePath => Elements(Attribute(element, valuePath.Path)).Any(e => Matches(valuePath.Filter, e)),
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown filter node."),
    };

    private static bool Compare(JsonNode? element, ComparisonFilter filter)
    {
        var values = Values(element, filter.Path).Where(IsPresent).ToList();
        if (filter.Value is null)
        {
            return filter.Operator switch
            {
                ComparisonOperator.Eq => values.Count == 0,
                ComparisonOperator.Ne => values.Count > 0,
                _ => throw ScimException.InvalidFilter($"Invalid filter: '{filter.Operator.ToString().ToLowerInvariant()}' cannot compare with null ({filter.Path})."),
            };
        }

        if (values.Count == 0)
        {
            return filter.Operator == ComparisonOperator.Ne;
        }

        var caseExact = CaseExactAttributes.Contains(filter.Path.SubAttribute ?? filter.Path.Name);
        return values.Any(value => CompareOne(value!, filter, caseExact));
    }

    private static bool CompareOne(JsonNode actual, ComparisonFilter filter, bool caseExact)
    {
        var op = filter.Operator;
        var expected = filter.Value!;
        var expectedKind = expected.GetValueKind();
        var actualKind = actual.GetValueKind();
        if (expectedKind is JsonValueKind.True or JsonValueKind.False || actualKind is JsonValueKind.True or JsonValueKind.False)
        {
            if (op is not (ComparisonOperator.Eq or ComparisonOperator.Ne))
            {
                throw ScimException.InvalidFilter(
                    $"Invalid filter: '{op.ToString().ToLowerInvariant()}' cannot be applied to the boolean attribute '{filter.Path}'.");
            }

            var equal = string.Equals(Text(actual), Text(expected), StringComparison.OrdinalIgnoreCase);
            return op == ComparisonOperator.Eq ? equal : !equal;
        }

        if (expectedKind == JsonValueKind.Number && actualKind == JsonValueKind.Number)
        {
            var order = actual.GetValue<decimal>().CompareTo(expected.GetValue<decimal>());
            return Ordered(op, order, () => Text(actual), () => Text(expected), StringComparison.Ordinal);
        }

        var comparison = caseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var actualText = Text(actual);
        var expectedText = Text(expected);
        int Order() => IsOrdering(op) && TryDate(actualText, out var a) && TryDate(expectedText, out var b)
            ? a.CompareTo(b)
            : string.Compare(actualText, expectedText, comparison);
        return op switch
        {
            ComparisonOperator.Co => actualText.Contains(expectedText, comparison),
            ComparisonOperator.Sw => actualText.StartsWith(expectedText, comparison),
            ComparisonOperator.Ew => actualText.EndsWith(expectedText, comparison),
            _ => Ordered(op, Order(), () => actualText, () => expectedText, comparison),
        };
    }

    private static bool Ordered(ComparisonOperator op, int order, Func<string> actual, Func<string> expected, StringComparison comparison) => op switch
    {
        ComparisonOperator.Eq => order == 0,
        ComparisonOperator.Ne => order != 0,
        ComparisonOperator.Gt => order > 0,
        ComparisonOperator.Ge => order >= 0,
        ComparisonOperator.Lt => order < 0,
        ComparisonOperator.Le => order <= 0,
        ComparisonOperator.Co => actual().Contains(expected(), comparison),
        ComparisonOperator.Sw => actual().StartsWith(expected(), comparison),
        ComparisonOperator.Ew => actual().EndsWith(expected(), comparison),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private static bool IsOrdering(ComparisonOperator op) =>
        op is ComparisonOperator.Gt or ComparisonOperator.Ge or ComparisonOperator.Lt or ComparisonOperator.Le;

    /// <summary>An xsd:dateTime such as <c>2024-05-01T10:00:00Z</c>; ordering compares instants, not text.</summary>
    private static bool TryDate(string text, out DateTimeOffset value)
    {
        value = default;
        return text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static string Text(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();

    private static bool IsPresent(JsonNode? node) => node switch
    {
        null => false,
        JsonArray array => array.Count > 0,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>().Length > 0,
        JsonValue value => value.GetValueKind() != JsonValueKind.Null,
        _ => true,
    };

    /// <summary>The values a path denotes: a multi-valued attribute contributes each element.</summary>
    private static IEnumerable<JsonNode?> Values(JsonNode? element, AttributePath path)
    {
        foreach (var item in Elements(Attribute(element, path)))
        {
            if (path.SubAttribute is not null)
            {
                foreach (var sub in Elements(Property(item, path.SubAttribute)))
                {
                    yield return sub;
                }
            }
            else
            {
                // A complex value compared as a whole means its "value" sub-attribute (RFC 7644 §3.4.2.2).
                yield return item is JsonObject complex ? Property(complex, "value") : item;
            }
        }
    }

    private static IEnumerable<JsonNode?> Elements(JsonNode? node)
    {
        if (node is not JsonArray array)
        {
            yield return node;
            yield break;
        }

        foreach (var item in array)
        {
            yield return item;
        }
    }

    private static JsonNode? Attribute(JsonNode? element, AttributePath path)
    {
        if (path.Schema is not null
            && !path.Schema.Equals(ScimUrns.User, StringComparison.OrdinalIgnoreCase)
            && !path.Schema.Equals(ScimUrns.Group, StringComparison.OrdinalIgnoreCase)
            && Property(element, path.Schema) is JsonObject extension)
        {
            return Property(extension, path.Name);
        }

        return Property(element, path.Name);
    }

    private static JsonNode? Property(JsonNode? node, string name)
    {
        if (node is not JsonObject obj)
        {
            return null;
        }

        if (obj.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (key, value) in obj)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
