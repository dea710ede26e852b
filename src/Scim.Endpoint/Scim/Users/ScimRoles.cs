using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Users;

/// <summary>
/// The multi-valued <c>roles</c>. Entra ID's app-role mapping (AppRoleAssignmentsComplex) sends each assignment as a
/// JSON text inside <c>value</c> — <c>{"value":"{\"id\":\"…\",\"value\":\"Admin\",\"displayName\":\"Admin\"}"}</c>, or a
/// whole array in one string — which is unpacked here into one role per assignment.
/// </summary>
public static class ScimRoles
{
    private const int NestedDepth = 8;

    /// <summary>A <c>roles</c> value (list, single object or string) as a list of role objects, with JSON texts unpacked.</summary>
    public static JsonArray Expand(JsonNode? node)
    {
        var roles = new JsonArray();
        foreach (var element in node switch { null => [], JsonArray array => array.ToList(), _ => [node] })
        {
            switch (element)
            {
                case null:
                    break;
                case JsonObject role when ScimNode.String(role, "value") is { } text && LooksLikeJson(text):
                    foreach (var inner in Expand(ParseNested(text)))
                    {
                        var unpacked = (JsonObject)inner!.DeepClone();
                        Inherit(unpacked, role, "type");
                        Inherit(unpacked, role, "primary");
                        roles.Add(unpacked);
                    }

                    break;
                case JsonObject role:
                    roles.Add(role.DeepClone());
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    var s = value.GetValue<string>();
                    if (LooksLikeJson(s))
                    {
                        foreach (var inner in Expand(ParseNested(s)))
                        {
                            roles.Add(inner!.DeepClone());
                        }
                    }
                    else if (s.Length > 0)
                    {
                        roles.Add(new JsonObject { ["value"] = s });
                    }

                    break;
                default:
                    throw ScimException.InvalidValue("Each 'roles' value must be a complex value or a role name.");
            }
        }

        return roles;
    }

    /// <summary>The roles of a SCIM User, unpacked, without repeats (same value and type).</summary>
    public static IReadOnlyList<UserRole> Read(JsonNode? node)
    {
        var roles = new List<UserRole>();
        foreach (var role in Expand(node).OfType<JsonObject>())
        {
            // Entra's unpacked assignments call the label displayName; SCIM calls it display.
            var value = ScimNode.String(role, "value") ?? ScimNode.String(role, "id");
            if (value is null)
            {
                continue;
            }

            var read = new UserRole(
                value,
                ScimNode.String(role, "display") ?? ScimNode.String(role, "displayName"),
                ScimNode.String(role, "type"),
                ScimNode.Boolean(ScimNode.Get(role, "primary"), "roles.primary") ?? false);
            if (!roles.Any(r => string.Equals(r.Value, read.Value, StringComparison.OrdinalIgnoreCase)
                && string.Equals(r.Type, read.Type, StringComparison.OrdinalIgnoreCase)))
            {
                roles.Add(read);
            }
        }

        return roles;
    }

    public static JsonObject ToScim(UserRole role)
    {
        var json = new JsonObject { ["value"] = role.Value };
        if (role.Display is not null)
        {
            json["display"] = role.Display;
        }

        if (role.Type is not null)
        {
            json["type"] = role.Type;
        }

        json["primary"] = role.Primary;
        return json;
    }

    private static bool LooksLikeJson(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        return trimmed.Length > 0 && trimmed[0] is '{' or '[';
    }

    private static JsonNode? ParseNested(string text)
    {
        try
        {
            // The same rules as a request body: no repeated names, bounded depth.
            JsonSyntaxCheck.Validate(Encoding.UTF8.GetBytes(text), NestedDepth);
            var parsed = JsonNode.Parse(text, null, new JsonDocumentOptions { MaxDepth = NestedDepth });
            return parsed is JsonObject or JsonArray
                ? parsed
                : throw ScimException.InvalidValue("A 'roles' value in JSON must be an object or a list of objects.");
        }
        catch (Exception e) when (e is JsonException || e is ScimException { ScimType: ScimErrorTypes.InvalidSyntax })
        {
            throw ScimException.InvalidValue("A 'roles' value that starts like JSON is not valid JSON.");
        }
    }

    private static void Inherit(JsonObject target, JsonObject outer, string name)
    {
        if (ScimNode.Get(target, name) is null && ScimNode.Get(outer, name) is { } value)
        {
            target[name] = value.DeepClone();
        }
    }
}
