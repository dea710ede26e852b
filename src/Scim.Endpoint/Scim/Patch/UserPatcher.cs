using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Patch;

/// <summary>
/// Applies PATCH operations to a user's SCIM JSON (RFC 7644 §3.5.2), with the Entra and Okta dialects:
/// path-less values with dotted or URN-qualified keys, value filters that create the element they name, manager as a bare id.
/// </summary>
public static class UserPatcher
{
    private static readonly HashSet<string> MultiValued = new(StringComparer.OrdinalIgnoreCase)
    {
        "emails", "phoneNumbers", "ims", "photos", "addresses", "entitlements", "roles", "x509Certificates", "groups", "teams",
    };

    private static IReadOnlyList<string> Extensions => UserPatchTargets.Extensions;

    /// <summary>Applies every operation to <paramref name="user"/> (a copy the caller saves only when all succeeded).</summary>
    public static void Apply(JsonObject user, PatchRequest patch)
    {
        foreach (var operation in patch.Operations)
        {
            if (operation.Target is null)
            {
                ApplyWithoutPath(user, operation.Op, (JsonObject)operation.Value!, patch.Limits);
            }
            else if (UserPatchTargets.WholeExtension(operation.Target) is { } extension)
            {
                ApplyWholeExtension(user, operation.Op, extension, operation.Value);
            }
            else if (!IsNoOp(user, operation.Target, operation.Value))
            {
                UserPatchTargets.RequireWritable(operation.Target);
                ApplyPath(user, operation.Op, operation.Target, operation.Value);
            }
        }
    }

    /// <summary><c>schemas</c> is not data; Okta repeats the user's own <c>id</c>.</summary>
    private static bool IsNoOp(JsonObject user, PatchPath path, JsonNode? value) =>
        path.ValueFilter is null && path.SubAttribute is null && path.Attribute.Schema is null
        && (string.Equals(path.Attribute.Name, "schemas", StringComparison.OrdinalIgnoreCase)
            || (string.Equals(path.Attribute.Name, "id", StringComparison.OrdinalIgnoreCase)
                && value is JsonValue && string.Equals(ScimNode.String(value, "id"), ScimNode.String(user, "id"), StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// A path-less value is a partial representation: its read-only attributes are ignored, as in a PUT, but an attribute
    /// no schema defines is refused, and an <c>id</c> other than the user's is a mutability error.
    /// </summary>
    private static void ApplyWithoutPath(JsonObject user, PatchOp op, JsonObject value, FilterLimits limits)
    {
        foreach (var (key, node) in value)
        {
            if (string.Equals(key, "schemas", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var extension = Extensions.FirstOrDefault(urn => string.Equals(urn, key, StringComparison.OrdinalIgnoreCase));
            if (extension is not null)
            {
                ApplyWholeExtension(user, PatchOp.Add, extension, node);
                continue;
            }

            var path = ScimPathParser.Parse(key, limits);
            if (IsNoOp(user, path, node))
            {
                continue;
            }

            if (UserPatchTargets.IsReadOnly(path))
            {
                if (string.Equals(path.Attribute.Name, "id", StringComparison.OrdinalIgnoreCase) && path.Attribute.Schema is null)
                {
                    throw ScimException.Mutability("id is read-only and cannot be changed.");
                }

                continue;
            }

            ApplyPath(user, op, path, node);
        }
    }

    /// <summary>
    /// The whole enterprise or ScimBridge extension as the target: <c>add</c> sets the attributes given, <c>replace</c>
    /// sets them and clears the other writable ones, <c>remove</c> clears every writable one. Read-only parts
    /// (teams, state…) are the server's and stay as they are.
    /// </summary>
    private static void ApplyWholeExtension(JsonObject user, PatchOp op, string extension, JsonNode? value)
    {
        JsonObject? attributes = null;
        if (op != PatchOp.Remove || value is not null)
        {
            attributes = value as JsonObject
                ?? throw ScimException.InvalidValue($"The value for '{extension}' must be an object of its attributes.");
        }

        var container = Container(user, extension, create: true)!;
        if (op != PatchOp.Add)
        {
            foreach (var key in container.Select(p => p.Key).ToList())
            {
                if (!UserPatchTargets.IsReadOnly(new PatchPath(new AttributePath(extension, key))))
                {
                    container.Remove(key);
                }
            }
        }

        if (op == PatchOp.Remove || attributes is null)
        {
            return;
        }

        foreach (var (key, node) in attributes)
        {
            var path = new PatchPath(AttributePath.Parse(key) with { Schema = extension });
            if (!UserPatchTargets.IsReadOnly(path))
            {
                ApplyPath(user, PatchOp.Replace, path, node);
            }
        }
    }

    private static void ApplyPath(JsonObject user, PatchOp op, PatchPath path, JsonNode? value)
    {
        if (value is not null && path.ValueFilter is null && path.SubAttribute is null && path.Attribute.Schema is null
            && string.Equals(path.Attribute.Name, "roles", StringComparison.OrdinalIgnoreCase))
        {
            value = Users.ScimRoles.Expand(value);
        }

        var container = Container(user, path.Attribute.Schema, create: op != PatchOp.Remove);
        if (container is null)
        {
            return;
        }

        var name = path.Attribute.Name;
        var key = ScimNode.FindKey(container, name) ?? name;
        var current = container[key];
        if (path.ValueFilter is not null)
        {
            ApplyFiltered(container, key, op, path, value);
            return;
        }

        if (path.SubAttribute is not null)
        {
            ApplySubAttribute(container, key, op, path.SubAttribute, value);
            return;
        }

        if (op == PatchOp.Remove)
        {
            RemoveValues(container, key, value);
            return;
        }

        if (value is null)
        {
            container.Remove(key);
            return;
        }

        if (current is JsonArray || MultiValued.Contains(name) || value is JsonArray && current is null)
        {
            var incoming = AsArray(value);
            if (op == PatchOp.Replace || current is not JsonArray existing)
            {
                container[key] = incoming;
            }
            else
            {
                AddElements(existing, incoming);
            }

            return;
        }

        if (current is JsonObject complex && value is JsonObject subAttributes)
        {
            Merge(complex, subAttributes);
            return;
        }

        container[key] = value.DeepClone();
    }

    private static void ApplySubAttribute(JsonObject container, string key, PatchOp op, string subAttribute, JsonNode? value)
    {
        switch (container[key])
        {
            case JsonObject complex:
                SetOrRemove(complex, subAttribute, op == PatchOp.Remove ? null : value);
                break;
            case JsonArray array:
                foreach (var element in array.OfType<JsonObject>())
                {
                    SetOrRemove(element, subAttribute, op == PatchOp.Remove ? null : value);
                }

                break;
            case null when op != PatchOp.Remove && value is not null:
                var created = new JsonObject();
                SetOrRemove(created, subAttribute, value);
                container[key] = MultiValued.Contains(key) ? new JsonArray(created) : created;
                break;
            case null:
                break;
            default:
                throw ScimException.InvalidPath($"'{key}' has no sub-attribute '{subAttribute}'.");
        }
    }

    private static void ApplyFiltered(JsonObject container, string key, PatchOp op, PatchPath path, JsonNode? value)
    {
        var array = container[key] as JsonArray;
        if (container[key] is not null and not JsonArray)
        {
            throw ScimException.InvalidPath($"'{key}' is not multi-valued; a value filter cannot select from it.");
        }

        var matches = array is null ? [] : array.Where(e => ScimFilterEvaluator.Matches(path.ValueFilter!, e)).OfType<JsonObject>().ToList();
        var sub = path.SubAttribute;
        if (op == PatchOp.Remove)
        {
            foreach (var match in matches)
            {
                if (sub is null)
                {
                    array!.Remove(match);
                }
                else
                {
                    match.Remove(ScimNode.FindKey(match, sub) ?? sub);
                }
            }

            return;
        }

        if (matches.Count == 0)
        {
            // Entra replaces emails[type eq "work"].value on a user without a work e-mail: the filter names the element to create.
            if ((sub is null && op == PatchOp.Replace) || ElementFromFilter(path.ValueFilter!) is not { } created)
            {
                throw ScimException.NoTarget($"No value of '{key}' matches '{path.ValueFilter}'.");
            }

            if (sub is null)
            {
                Merge(created, value as JsonObject ?? throw ScimException.InvalidValue($"The value for '{path}' must be a complex value."));
            }
            else
            {
                SetOrRemove(created, sub, value);
            }

            if (array is null)
            {
                container[key] = new JsonArray(created);
            }
            else
            {
                array.Add(created);
            }

            return;
        }

        foreach (var match in matches)
        {
            if (sub is not null)
            {
                SetOrRemove(match, sub, value);
            }
            else if (value is not JsonObject replacement)
            {
                throw ScimException.InvalidValue($"The value for '{path}' must be a complex value.");
            }
            else if (op == PatchOp.Add)
            {
                Merge(match, replacement);
            }
            else
            {
                array![array.IndexOf(match)] = replacement.DeepClone();
            }
        }
    }

    /// <summary>Remove without a filter: the whole attribute, or (Entra) only the listed values of a multi-valued one.</summary>
    private static void RemoveValues(JsonObject container, string key, JsonNode? value)
    {
        if (container[key] is JsonArray existing && value is JsonArray listed && listed.Count > 0)
        {
            foreach (var item in listed)
            {
                var target = ItemValue(item);
                var match = existing.FirstOrDefault(e => e is JsonObject o
                    ? target is not null && string.Equals(ScimNode.String(o, "value"), target, StringComparison.OrdinalIgnoreCase)
                    : JsonNode.DeepEquals(e, item));
                if (match is not null)
                {
                    existing.Remove(match);
                }
            }

            return;
        }

        container.Remove(key);
    }

    private static string? ItemValue(JsonNode? item) => item switch
    {
        JsonObject o => ScimNode.String(o, "value"),
        JsonValue => ScimNode.String(item, "value"),
        _ => null,
    };

    private static void AddElements(JsonArray existing, JsonArray incoming)
    {
        foreach (var element in incoming.ToList())
        {
            incoming.Remove(element);
            var duplicate = existing.Any(e => JsonNode.DeepEquals(e, element)
                || (e is JsonObject a && element is JsonObject b
                    && ScimNode.String(a, "value") is { } va
                    && string.Equals(va, ScimNode.String(b, "value"), StringComparison.OrdinalIgnoreCase)
                    && string.Equals(ScimNode.String(a, "type"), ScimNode.String(b, "type"), StringComparison.OrdinalIgnoreCase)));
            if (!duplicate)
            {
                existing.Add(element);
            }
        }
    }

    private static JsonArray AsArray(JsonNode value) => value switch
    {
        JsonArray array => (JsonArray)array.DeepClone(),
        _ => new JsonArray(value.DeepClone()),
    };

    private static void Merge(JsonObject target, JsonObject values)
    {
        foreach (var (key, node) in values)
        {
            SetOrRemove(target, key, node);
        }
    }

    private static void SetOrRemove(JsonObject target, string name, JsonNode? value)
    {
        var key = ScimNode.FindKey(target, name) ?? name;
        if (value is null)
        {
            target.Remove(key);
        }
        else
        {
            target[key] = value.DeepClone();
        }
    }

    private static JsonObject? Container(JsonObject user, string? schema, bool create)
    {
        if (schema is null || string.Equals(schema, ScimUrns.User, StringComparison.OrdinalIgnoreCase))
        {
            return user;
        }

        var extension = Extensions.FirstOrDefault(urn => string.Equals(urn, schema, StringComparison.OrdinalIgnoreCase))
            ?? throw ScimException.InvalidPath($"'{schema}' is not a schema of User.");
        if (ScimNode.Get(user, extension) is JsonObject existing)
        {
            return existing;
        }

        if (!create)
        {
            return null;
        }

        var created = new JsonObject();
        user[ScimNode.FindKey(user, extension) ?? extension] = created;
        return created;
    }

    /// <summary>The element a filter of equalities describes (<c>type eq "work"</c> → <c>{"type":"work"}</c>), or null.</summary>
    private static JsonObject? ElementFromFilter(FilterNode filter)
    {
        var element = new JsonObject();
        return Collect(filter, element) ? element : null;

        static bool Collect(FilterNode node, JsonObject element) => node switch
        {
            ComparisonFilter { Operator: ComparisonOperator.Eq, Path: { SubAttribute: null } path, Value: JsonValue value }
                when value.GetValueKind() != JsonValueKind.Null
                => Set(element, path.Name, value),
            AndFilter and => Collect(and.Left, element) && Collect(and.Right, element),
            _ => false,
        };

        static bool Set(JsonObject element, string name, JsonValue value)
        {
            element[name] = value.DeepClone();
            return true;
        }
    }
}
