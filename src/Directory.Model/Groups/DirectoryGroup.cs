namespace ScimBridge.Model.Groups;

/// <summary>A group as the identity provider knows it (SCIM Group, LDAP group, Entra group). Mapping files turn groups into teams.</summary>
public sealed class DirectoryGroup
{
    public Guid Id { get; set; } = EntityIds.New();
    public Guid OrganizationId { get; set; }

    public string DisplayName { get; private set; } = "";
    public string NormalizedDisplayName { get; private set; } = "";

    /// <summary>The IdP's id for the group (SCIM externalId, Entra object id, LDAP entryUUID).</summary>
    public string? ExternalId { get; set; }

    /// <summary>Distinguished name, for groups read from LDAP.</summary>
    public string? DistinguishedName { get; set; }

    /// <summary>Which source manages this group: <c>scim</c> or a sync source's name.</summary>
    public string ManagedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Set by a SCIM DELETE or when the group left the directory; memberships it granted are recomputed.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    public int Version { get; set; } = 1;

    public static string Normalize(string value) => value.Trim().ToUpperInvariant();

    public void Rename(string displayName)
    {
        DisplayName = displayName;
        NormalizedDisplayName = Normalize(displayName);
    }
}
