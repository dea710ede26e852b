namespace ScimBridge.Model.Users;

/// <summary>Names of the sources that can manage a user or group besides configured sync sources.</summary>
public static class ManagedBySources
{
    /// <summary>Pushed by an identity provider over SCIM.</summary>
    public const string Scim = "scim";

    /// <summary>Created by an admin by hand.</summary>
    public const string Manual = "manual";
}
