namespace ScimBridge.Model.Users;

/// <summary>Names of the sources that can manage a user or group besides configured sync sources.</summary>
public static class ManagedBySources
{
    /// <summary>Pushed by an identity provider over SCIM.</summary>
    public const string Scim = "scim";

    /// <summary>Created by an admin by hand.</summary>
    public const string Manual = "manual";

    /// <summary>A mapping file (as the deactivator of a user in no mapped group, under <c>unmappedUsers: deactivate</c>).</summary>
    public const string Mapping = "mapping";

    /// <summary>Names a configured sync source may not take.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Scim, Manual, Mapping };
}
