using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Options;

namespace ScimBridge.Scim.Resources;

/// <summary>The parameters of a list or .search request (RFC 7644 §3.4.2, §3.4.3), normalised.</summary>
public sealed record ScimListQuery(
    string? Filter,
    string? SortBy,
    string? SortOrder,
    int StartIndex,
    int Count,
    ScimAttributeSelection Attributes)
{
    /// <summary>Nesting and term limits the filter is parsed with.</summary>
    public FilterLimits FilterLimits { get; init; } = FilterLimits.Default;

    /// <summary>Zero-based offset of the first resource to return.</summary>
    public int Offset => StartIndex - 1;

    public static ScimListQuery FromQueryString(HttpRequest request, ScimOptions options)
    {
        var query = request.Query;
        return Create(
            query["filter"].ToString(),
            query["sortBy"].ToString(),
            query["sortOrder"].ToString(),
            ParseInt(query["startIndex"].ToString(), "startIndex"),
            ParseInt(query["count"].ToString(), "count"),
            query["attributes"].ToString(),
            query["excludedAttributes"].ToString(),
            options);
    }

    /// <summary>Reads a <c>SearchRequest</c> body; attribute lists may be JSON arrays or comma-separated strings.</summary>
    public static ScimListQuery FromSearchRequest(JsonObject body, ScimOptions options) => Create(
        Text(body, "filter"),
        Text(body, "sortBy"),
        Text(body, "sortOrder"),
        Number(body, "startIndex"),
        Number(body, "count"),
        List(body, "attributes"),
        List(body, "excludedAttributes"),
        options);

    private static ScimListQuery Create(
        string? filter, string? sortBy, string? sortOrder, int? startIndex, int? count, string? attributes, string? excluded, ScimOptions options)
    {
        var order = string.IsNullOrWhiteSpace(sortOrder) ? null : sortOrder.Trim();
        if (order is not null && !order.Equals("ascending", StringComparison.OrdinalIgnoreCase) && !order.Equals("descending", StringComparison.OrdinalIgnoreCase))
        {
            throw ScimException.InvalidValue("sortOrder must be 'ascending' or 'descending'.");
        }

        return new ScimListQuery(
            string.IsNullOrWhiteSpace(filter) ? null : filter,
            string.IsNullOrWhiteSpace(sortBy) ? null : sortBy.Trim(),
            order,
            startIndex is null or < 1 ? 1 : startIndex.Value,
            Math.Clamp(count ?? options.DefaultPageSize, 0, options.MaxPageSize),
            ScimAttributeSelection.Parse(attributes, excluded))
        {
            FilterLimits = options.ParseLimits(),
        };
    }

    private static int? ParseInt(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw ScimException.InvalidValue($"{name} must be an integer.");
        }

        return (int)Math.Clamp(number, int.MinValue, int.MaxValue);
    }

    private static string? Text(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw ScimException.InvalidValue($"{name} must be a string."),
    };

    private static int? Number(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.TryGetValue<int>(out var i) ? i : (int)Math.Clamp(v.GetValue<double>(), int.MinValue, int.MaxValue),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => ParseInt(v.GetValue<string>(), name),
        _ => throw ScimException.InvalidValue($"{name} must be an integer."),
    };

    private static string? List(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonArray array => string.Join(',', array.Select(e => e?.GetValueKind() == JsonValueKind.String
            ? e.GetValue<string>()
            : throw ScimException.InvalidValue($"{name} must list attribute names."))),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw ScimException.InvalidValue($"{name} must list attribute names."),
    };
}
