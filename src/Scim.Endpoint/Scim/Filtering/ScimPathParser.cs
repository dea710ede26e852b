namespace ScimBridge.Scim.Filtering;

/// <summary>Parses RFC 7644 §3.5.2 PATCH paths.</summary>
public static class ScimPathParser
{
    public static PatchPath Parse(string path) => throw new NotImplementedException();
}
