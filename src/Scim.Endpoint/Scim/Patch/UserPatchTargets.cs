using ScimBridge.Scim.Discovery;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;

namespace ScimBridge.Scim.Patch;

/// <summary>
/// What a user PATCH may name, from the published schemas (RFC 7644 §3.5.2): an attribute no schema of User defines is
/// <c>invalidPath</c>, as is a sub-attribute or value filter the attribute does not have; a read-only attribute named by a
/// path is <c>mutability</c>. A request with any such operation changes nothing (the patch applies to a copy, saved once).
/// </summary>
public static class UserPatchTargets
{
    /// <summary>Attributes every resource has (RFC 7643 §3.1), which the User schema does not list.</summary>
    private static readonly SchemaAttribute[] Common =
    [
        new("id", Mutability: "readOnly", CaseExact: true),
        new("externalId", CaseExact: true),
        new("meta", "complex", Mutability: "readOnly")
        {
            SubAttributes = [new("resourceType"), new("created"), new("lastModified"), new("location"), new("version")],
        },
    ];

    /// <summary>Whether a path names a whole extension (<c>urn:…:enterprise:2.0:User</c>) rather than one of its attributes.</summary>
    public static string? WholeExtension(PatchPath path)
    {
        if (path.ValueFilter is not null || path.SubAttribute is not null || path.Attribute.Schema is null)
        {
            return null;
        }

        var urn = path.Attribute.Schema + ":" + path.Attribute.Name;
        return Extensions.FirstOrDefault(e => string.Equals(e, urn, StringComparison.OrdinalIgnoreCase));
    }

    public static IReadOnlyList<string> Extensions { get; } = [ScimUrns.EnterpriseUser, ScimUrns.PlatformUser];

    /// <summary>The attribute a path names, with its sub-attribute if any; throws <c>invalidPath</c> when there is none.</summary>
    public static (SchemaAttribute Attribute, SchemaAttribute? Sub) Resolve(PatchPath path)
    {
        var attributes = Attributes(path.Attribute.Schema);
        var name = path.Attribute.Name;
        var attribute = attributes.FirstOrDefault(a => Same(a.Name, name))
            ?? throw ScimException.InvalidPath($"'{Shown(path)}' is not an attribute of User.");
        if (path.ValueFilter is not null)
        {
            if (!attribute.MultiValued)
            {
                throw ScimException.InvalidPath($"'{attribute.Name}' is not multi-valued; a value filter cannot select from it.");
            }

            CheckFilter(attribute, path.ValueFilter);
        }

        SchemaAttribute? sub = null;
        if (path.SubAttribute is { } subName)
        {
            sub = attribute.SubAttributes?.FirstOrDefault(a => Same(a.Name, subName))
                ?? throw ScimException.InvalidPath($"'{attribute.Name}' has no sub-attribute '{Shorten(subName)}'.");
        }

        return (attribute, sub);
    }

    /// <summary>Resolves a path an operation names and refuses read-only targets.</summary>
    public static void RequireWritable(PatchPath path)
    {
        var (attribute, sub) = Resolve(path);
        if (attribute.Mutability == "readOnly" || sub?.Mutability == "readOnly")
        {
            throw ScimException.Mutability($"'{Shown(path)}' is read-only and cannot be changed by PATCH.");
        }
    }

    /// <summary>Whether the attribute is read-only (and so ignored in a whole-resource or whole-extension value).</summary>
    public static bool IsReadOnly(PatchPath path)
    {
        var (attribute, sub) = Resolve(path);
        return attribute.Mutability == "readOnly" || sub?.Mutability == "readOnly";
    }

    private static IReadOnlyList<SchemaAttribute> Attributes(string? schema)
    {
        if (schema is null || Same(schema, ScimUrns.User))
        {
            return [.. ScimSchemas.UserSchema.Attributes, .. Common];
        }

        return ScimSchemas.All.FirstOrDefault(s => s != ScimSchemas.GroupSchema && Same(s.Id, schema))?.Attributes
            ?? throw ScimException.InvalidPath($"'{Shorten(schema)}' is not a schema of User.");
    }

    private static void CheckFilter(SchemaAttribute attribute, FilterNode filter)
    {
        switch (filter)
        {
            case AndFilter and:
                CheckFilter(attribute, and.Left);
                CheckFilter(attribute, and.Right);
                break;
            case OrFilter or:
                CheckFilter(attribute, or.Left);
                CheckFilter(attribute, or.Right);
                break;
            case NotFilter not:
                CheckFilter(attribute, not.Inner);
                break;
            case ComparisonFilter { Path: var p }:
                CheckSub(attribute, p);
                break;
            case PresentFilter { Path: var p }:
                CheckSub(attribute, p);
                break;
            default:
                throw ScimException.InvalidPath($"The value filter of '{attribute.Name}' may only test its sub-attributes.");
        }
    }

    private static void CheckSub(SchemaAttribute attribute, AttributePath path)
    {
        if (path.SubAttribute is not null || attribute.SubAttributes?.Any(a => Same(a.Name, path.Name)) != true)
        {
            throw ScimException.InvalidPath($"'{Shorten(path.ToString())}' in the value filter is not a sub-attribute of '{attribute.Name}'.");
        }
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Shown(PatchPath path) => Shorten(path.ToString());

    private static string Shorten(string text) => text.Length > 100 ? text[..100] + "…" : text;
}
