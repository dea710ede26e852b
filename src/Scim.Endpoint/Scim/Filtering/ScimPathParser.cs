using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Filtering;

/// <summary>
/// Parses RFC 7644 §3.5.2 PATCH paths: <c>attrPath</c>, <c>valuePath</c> and <c>valuePath.subAttr</c>, each with an
/// optional schema URN. Malformed input throws <see cref="ScimException"/> <c>invalidPath</c>.
/// </summary>
public static class ScimPathParser
{
    /// <summary>Parses with the default limits (<see cref="FilterLimits.Default"/>).</summary>
    public static PatchPath Parse(string path) => Parse(path, FilterLimits.Default);

    public static PatchPath Parse(string path, FilterLimits limits)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw ScimException.InvalidPath("Invalid path: the path is empty.");
        }

        var shown = path.Length > 100 ? path[..100] + "…" : path;
        var grammar = new FilterGrammar(path, message => ScimException.InvalidPath($"Invalid path '{shown}': {message}"), limits);
        var attributeToken = grammar.Next();
        var attribute = grammar.ParsePath(attributeToken);
        if (grammar.Peek.Kind != FilterTokenKind.LeftBracket)
        {
            grammar.ExpectEndOfPath();
            return new PatchPath(attribute);
        }

        if (attribute.SubAttribute is not null)
        {
            throw grammar.Fail($"a value filter applies to an attribute, not to the sub-attribute '{attribute.LocalName}'.");
        }

        var filter = grammar.ParseValueFilter(grammar.Next());
        var after = grammar.Peek;
        if (after.Kind == FilterTokenKind.Word && after.Text.StartsWith('.'))
        {
            grammar.Next();
            var subAttribute = after.Text[1..];
            if (!AttributePath.IsAttributeName(subAttribute))
            {
                throw grammar.Fail($"'{subAttribute}' at position {after.Position + 1} is not a valid sub-attribute name.");
            }

            attribute = attribute with { SubAttribute = subAttribute };
        }

        grammar.ExpectEndOfPath();
        return new PatchPath(attribute, filter);
    }
}
