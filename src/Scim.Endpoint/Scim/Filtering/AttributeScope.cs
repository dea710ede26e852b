using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Filtering;

/// <summary>
/// The filterable attributes of one resource (or of one element of a multi-valued attribute), keyed by
/// <c>name</c> or <c>name.subAttribute</c>, case-insensitively, each with the schema URN it belongs to.
/// </summary>
internal sealed class AttributeScope(string resource, AttributeScope? parent = null)
{
    private readonly Dictionary<string, (string Schema, FilterAttribute Attribute)> _scalars = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (string Schema, CollectionFilterAttribute Attribute)> _collections = new(StringComparer.OrdinalIgnoreCase);

    public string Resource => resource;

    public AttributeScope Add(string schema, string localName, FilterAttribute attribute)
    {
        _scalars.Add(localName, (schema, attribute));
        return this;
    }

    public AttributeScope Add(string schema, string name, CollectionFilterAttribute attribute)
    {
        _collections.Add(name, (schema, attribute));
        return this;
    }

    /// <summary>This scope plus one more collection, without copying the table (for per-query sources such as members).</summary>
    public AttributeScope With(string schema, string name, CollectionFilterAttribute attribute) =>
        new AttributeScope(resource, this).Add(schema, name, attribute);

    public FilterAttribute? FindScalar(AttributePath path) =>
        _scalars.TryGetValue(path.LocalName, out var entry) && SchemaFits(path, entry.Schema) ? entry.Attribute
        : parent?.FindScalar(path);

    /// <summary>The multi-valued attribute named by <paramref name="path"/> (its sub-attribute is not looked at).</summary>
    public CollectionFilterAttribute? FindCollection(AttributePath path) =>
        _collections.TryGetValue(path.Name, out var entry) && SchemaFits(path, entry.Schema) ? entry.Attribute
        : parent?.FindCollection(path);

    /// <summary>Whether <paramref name="path"/> names a single-valued complex attribute (name, manager).</summary>
    public bool IsComplex(AttributePath path) =>
        _scalars.Any(s => s.Key.StartsWith(path.Name + ".", StringComparison.OrdinalIgnoreCase) && SchemaFits(path, s.Value.Schema))
        || parent?.IsComplex(path) == true;

    public ScimException Unknown(AttributePath path) =>
        ScimException.InvalidFilter($"Invalid filter: '{path}' is not a filterable attribute of {resource}.");

    private static bool SchemaFits(AttributePath path, string schema) =>
        path.Schema is null || path.Schema.Equals(schema, StringComparison.OrdinalIgnoreCase);
}
