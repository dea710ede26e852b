namespace ScimBridge.Scim.Filtering;

/// <summary>Parses RFC 7644 §3.4.2.2 filters.</summary>
public static class ScimFilterParser
{
    public static FilterNode Parse(string filter) => throw new NotImplementedException();
}
