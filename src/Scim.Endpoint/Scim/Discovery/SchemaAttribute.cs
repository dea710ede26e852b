namespace ScimBridge.Scim.Discovery;

/// <summary>One attribute definition of RFC 7643 §7, as published by <c>/Schemas</c>.</summary>
public sealed record SchemaAttribute(
    string Name,
    string Type = "string",
    bool MultiValued = false,
    bool Required = false,
    bool CaseExact = false,
    string Mutability = "readWrite",
    string Returned = "default",
    string Uniqueness = "none",
    string Description = "")
{
    public IReadOnlyList<SchemaAttribute>? SubAttributes { get; init; }
    public IReadOnlyList<string>? CanonicalValues { get; init; }
    public IReadOnlyList<string>? ReferenceTypes { get; init; }
}

/// <summary>A schema of RFC 7643 §7: its URN, name and attributes.</summary>
public sealed record ScimSchema(string Id, string Name, string Description, IReadOnlyList<SchemaAttribute> Attributes);
