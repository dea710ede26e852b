namespace ScimBridge.Scim.Filtering;

/// <summary>
/// A PATCH operation's <c>path</c>. <see cref="Attribute"/> names the target (with its sub-attribute, if any);
/// <see cref="ValueFilter"/> selects elements of a multi-valued attribute.
/// <c>emails[type eq "work"].value</c> is Attribute = <c>emails.value</c>, ValueFilter = <c>type eq "work"</c>.
/// </summary>
public sealed record PatchPath(AttributePath Attribute, FilterNode? ValueFilter = null)
{
    /// <summary>The attribute whose elements the filter selects, without the sub-attribute.</summary>
    public AttributePath Target => Attribute with { SubAttribute = null };

    public string? SubAttribute => Attribute.SubAttribute;

    public override string ToString() =>
        ValueFilter is null ? Attribute.ToString()
        : $"{Target}[{ValueFilter}]{(SubAttribute is null ? "" : "." + SubAttribute)}";
}
