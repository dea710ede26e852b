namespace ScimBridge.Scim.Filtering;

/// <summary>Schema URNs that may prefix an attribute path.</summary>
public static class ScimSchemaUrns
{
    public const string User = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string Group = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string EnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string ScimBridgeUser = "urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User";

    /// <summary>Known schemas, longest first, so that a prefix match finds the whole URN.</summary>
    public static readonly IReadOnlyList<string> All = [EnterpriseUser, ScimBridgeUser, User, Group];
}
