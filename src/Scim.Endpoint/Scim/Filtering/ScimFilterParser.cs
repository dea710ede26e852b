using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Filtering;

/// <summary>Parses RFC 7644 §3.4.2.2 filters; malformed input throws <see cref="ScimException"/> <c>invalidFilter</c>.</summary>
public static class ScimFilterParser
{
    /// <summary>Parses with the default limits (<see cref="FilterLimits.Default"/>).</summary>
    public static FilterNode Parse(string filter) => Parse(filter, FilterLimits.Default);

    public static FilterNode Parse(string filter, FilterLimits limits) =>
        new FilterGrammar(filter ?? "", message => ScimException.InvalidFilter($"Invalid filter: {message}"), limits).ParseFilter();
}
