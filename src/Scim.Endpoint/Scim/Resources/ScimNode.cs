using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Resources;

/// <summary>Reads SCIM values from JSON the way clients send them: names in any case, booleans as strings, null as unset.</summary>
public static class ScimNode
{
    /// <summary>The property with this name in any letter case, or null.</summary>
    public static JsonNode? Get(JsonObject obj, string name)
    {
        if (obj.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The actual key spelling of a property named in any case, or null.</summary>
    public static string? FindKey(JsonObject obj, string name)
    {
        if (obj.ContainsKey(name))
        {
            return name;
        }

        foreach (var (key, _) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>A string attribute; numbers and booleans are accepted as their text, empty text counts as unset.</summary>
    public static string? String(JsonNode? node, string attribute)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonValue value)
        {
            throw ScimException.InvalidValue($"'{attribute}' must be a single value.");
        }

        var text = value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    public static string? String(JsonObject obj, string name) => String(Get(obj, name), name);

    /// <summary>A boolean attribute; Entra sends <c>"True"</c>/<c>"False"</c>, so strings are accepted in any case.</summary>
    public static bool? Boolean(JsonNode? node, string attribute)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.String:
                    var text = value.GetValue<string>().Trim();
                    if (bool.TryParse(text, out var parsed))
                    {
                        return parsed;
                    }

                    if (text.Length == 0)
                    {
                        return null;
                    }

                    break;
            }
        }

        throw ScimException.InvalidValue($"'{attribute}' must be true or false.");
    }

    public static JsonObject? Object(JsonNode? node, string attribute) => node switch
    {
        null => null,
        JsonObject obj => obj,
        _ => throw ScimException.InvalidValue($"'{attribute}' must be a complex value."),
    };

    /// <summary>A multi-valued attribute; a single object is accepted as a one-element list.</summary>
    public static IEnumerable<JsonObject> Objects(JsonNode? node, string attribute) => node switch
    {
        null => [],
        JsonArray array => array.Select(e => e as JsonObject ?? throw ScimException.InvalidValue($"Each '{attribute}' value must be a complex value.")),
        JsonObject obj => [obj],
        _ => throw ScimException.InvalidValue($"'{attribute}' must be a list of complex values."),
    };

    public static bool IsNullOrEmpty(JsonNode? node) =>
        node is null
        || (node is JsonArray array && array.Count == 0)
        || (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0);

    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
