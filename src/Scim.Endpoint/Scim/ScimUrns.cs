namespace ScimBridge.Scim;

/// <summary>Schema and message URNs of RFC 7643/7644 and of the platform's user extension.</summary>
public static class ScimUrns
{
    public const string User = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string Group = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string EnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string PlatformUser = "urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User";
    public const string ListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public const string SearchRequest = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
    public const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string ServiceProviderConfig = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
    public const string ResourceType = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    public const string Schema = "urn:ietf:params:scim:schemas:core:2.0:Schema";

    /// <summary>Schemas that may prefix an attribute path, longest first, so that a prefix match finds the whole URN.</summary>
    public static readonly IReadOnlyList<string> AttributeSchemas = [EnterpriseUser, PlatformUser, User, Group];
}
