using System.Text.Json.Nodes;

namespace ScimBridge.Scim.Resources;

/// <summary>
/// The <c>attributes</c> / <c>excludedAttributes</c> parameters (RFC 7644 §3.4.2.5) as lower-cased attribute paths.
/// Core-schema prefixes are dropped; extension attributes keep their URN (<c>urn:…:user:department</c>).
/// </summary>
public sealed class ScimAttributeSelection
{
    public static readonly ScimAttributeSelection All = new([], exclude: true);

    private readonly HashSet<string> _paths;
    private readonly bool _exclude;

    private ScimAttributeSelection(HashSet<string> paths, bool exclude)
    {
        _paths = paths;
        _exclude = exclude;
    }

    public static ScimAttributeSelection Parse(string? attributes, string? excludedAttributes)
    {
        if (!string.IsNullOrWhiteSpace(attributes))
        {
            return new ScimAttributeSelection(Split(attributes, addParents: true), exclude: false);
        }

        return string.IsNullOrWhiteSpace(excludedAttributes) ? All : new ScimAttributeSelection(Split(excludedAttributes, addParents: false), exclude: true);
    }

    /// <summary>Whether any part of the top-level attribute will be returned; lets callers skip loading it.</summary>
    public bool Returns(string attribute)
    {
        var name = attribute.ToLowerInvariant();
        if (_exclude)
        {
            return !_paths.Contains(name);
        }

        return _paths.Contains(name) || _paths.Any(p => p.StartsWith(name, StringComparison.Ordinal) && p.Length > name.Length && p[name.Length] is '.' or ':');
    }

    /// <summary>Trims a rendered resource to the selection; <c>id</c> and <c>schemas</c> are always kept.</summary>
    public JsonObject Apply(JsonObject resource)
    {
        if (_exclude && _paths.Count == 0)
        {
            return resource;
        }

        var keys = resource.Select(p => p.Key).ToList();
        foreach (var key in keys)
        {
            var name = key.ToLowerInvariant();
            if (name is "id" or "schemas")
            {
                continue;
            }

            var isExtension = name.StartsWith("urn:", StringComparison.Ordinal);
            var separator = isExtension ? ':' : '.';
            if (_exclude)
            {
                if (_paths.Contains(name))
                {
                    resource.Remove(key);
                }
                else
                {
                    RemoveSubAttributes(resource[key], name + separator, keep: false);
                }

                continue;
            }

            if (_paths.Contains(name))
            {
                continue;
            }

            var prefix = name + separator;
            if (!_paths.Any(p => p.StartsWith(prefix, StringComparison.Ordinal)))
            {
                resource.Remove(key);
                continue;
            }

            RemoveSubAttributes(resource[key], prefix, keep: true);
        }

        return resource;
    }

    private void RemoveSubAttributes(JsonNode? node, string prefix, bool keep)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var sub in obj.Select(p => p.Key).ToList())
                {
                    var listed = _paths.Contains(prefix + sub.ToLowerInvariant());
                    if (listed != keep)
                    {
                        obj.Remove(sub);
                    }
                }

                break;
            case JsonArray array:
                foreach (var element in array)
                {
                    RemoveSubAttributes(element, prefix, keep);
                }

                break;
        }
    }

    private static HashSet<string> Split(string list, bool addParents)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var path = raw.ToLowerInvariant();
            foreach (var core in CoreSchemas)
            {
                if (path.StartsWith(core, StringComparison.Ordinal) && path.Length > core.Length && path[core.Length] == ':')
                {
                    path = path[(core.Length + 1)..];
                    break;
                }
            }

            paths.Add(path);
            var dot = ExtensionAttributeSeparator(path);
            if (addParents && dot > 0)
            {
                // "urn:…:user:manager.value" selects part of manager inside the extension object.
                paths.Add(path[..dot]);
            }
        }

        return paths;
    }

    private static int ExtensionAttributeSeparator(string path) =>
        path.StartsWith("urn:", StringComparison.Ordinal) ? path.IndexOf('.', StringComparison.Ordinal) : -1;

    private static readonly string[] CoreSchemas = [ScimUrns.User.ToLowerInvariant(), ScimUrns.Group.ToLowerInvariant()];
}
