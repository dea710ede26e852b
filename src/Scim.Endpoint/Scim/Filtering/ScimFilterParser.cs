using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Filtering;

/// <summary>Parses RFC 7644 §3.4.2.2 filters; malformed input throws <see cref="ScimException"/> <c>invalidFilter</c>.</summary>
public static class ScimFilterParser
{
    public static FilterNode Parse(string filter) =>
        new FilterGrammar(filter ?? "", message => ScimException.InvalidFilter($"Invalid filter: {message}")).ParseFilter();
}
