using System.Diagnostics.CodeAnalysis;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Filtering;

/// <summary>
/// <c>[schemaUrn ":"] name ["." subAttribute]</c> (RFC 7644 §3.10). Names and schemas compare case-insensitively.
/// </summary>
public sealed record AttributePath(string? Schema, string Name, string? SubAttribute = null)
{
    private static readonly StringComparer Names = StringComparer.OrdinalIgnoreCase;

    /// <summary><c>name</c> or <c>name.subAttribute</c>, without the schema.</summary>
    public string LocalName => SubAttribute is null ? Name : $"{Name}.{SubAttribute}";

    public bool Equals(AttributePath? other) =>
        other is not null
        && Names.Equals(Schema ?? "", other.Schema ?? "")
        && Names.Equals(Name, other.Name)
        && Names.Equals(SubAttribute ?? "", other.SubAttribute ?? "");

    public override int GetHashCode() =>
        HashCode.Combine(Names.GetHashCode(Schema ?? ""), Names.GetHashCode(Name), Names.GetHashCode(SubAttribute ?? ""));

    public override string ToString() => Schema is null ? LocalName : $"{Schema}:{LocalName}";

    /// <summary>Parses a path; throws <see cref="ScimException.InvalidPath"/> when it is malformed.</summary>
    public static AttributePath Parse(string text) =>
        TryParse(text, out var path, out var error) ? path : throw ScimException.InvalidPath(error);

    /// <summary>Parses a path; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out AttributePath? path, [NotNullWhen(false)] out string? error)
    {
        path = null;
        string? schema = null;
        var local = text;
        if (text.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            schema = ScimUrns.AttributeSchemas.FirstOrDefault(urn =>
                text.Length > urn.Length && text[urn.Length] == ':' && text.StartsWith(urn, StringComparison.OrdinalIgnoreCase));
            if (schema is not null)
            {
                local = text[(schema.Length + 1)..];
            }
            else
            {
                var colon = text.LastIndexOf(':');
                schema = text[..colon];
                local = text[(colon + 1)..];
            }

            if (local.Length == 0)
            {
                error = $"'{text}' names a schema but no attribute.";
                return false;
            }
        }

        var parts = local.Split('.');
        foreach (var part in parts)
        {
            if (!IsAttributeName(part))
            {
                error = part.Length == 0
                    ? $"'{text}' has an empty attribute name."
                    : $"'{part}' in '{text}' is not a valid attribute name (a letter followed by letters, digits, '-' or '_').";
                return false;
            }
        }

        if (parts.Length > 2)
        {
            error = $"'{text}' has more than one sub-attribute; paths are attribute[.subAttribute].";
            return false;
        }

        path = new AttributePath(schema, parts[0], parts.Length == 2 ? parts[1] : null);
        error = null;
        return true;
    }

    /// <summary>ATTRNAME of RFC 7643 §2.1, plus <c>$ref</c>.</summary>
    internal static bool IsAttributeName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        var start = name[0] == '$' ? 1 : 0;
        if (start >= name.Length || !char.IsAsciiLetter(name[start]))
        {
            return false;
        }

        for (var i = start + 1; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
