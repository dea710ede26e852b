namespace ScimBridge.Scim.Admin.SignIn;

/// <summary>What the console's session cookie carries; everything else about the person is read from the directory per request.</summary>
public static class AdminClaims
{
    /// <summary>The directory user the person signed in as.</summary>
    public const string UserId = "scimbridge:user";

    /// <summary>The organization a superuser has chosen (people who are directory users take their user's).</summary>
    public const string OrganizationId = "scimbridge:org";

    /// <summary>Present for configured platform superusers.</summary>
    public const string Superuser = "scimbridge:superuser";

    /// <summary>The identity provider's stable id of the person, when they signed in through OpenID Connect.</summary>
    public const string ProviderId = "scimbridge:provider-id";

    /// <summary>A verified e-mail address of the person.</summary>
    public const string Email = "scimbridge:email";

    /// <summary>The name written as actor in the audit trail.</summary>
    public const string Name = "scimbridge:name";

    /// <summary><c>oidc</c> or <c>link</c>.</summary>
    public const string Method = "scimbridge:method";
}
