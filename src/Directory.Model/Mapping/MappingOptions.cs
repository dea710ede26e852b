namespace ScimBridge.Model.Mapping;

/// <summary>Where mapping files live and how changes to them are noticed (<c>ScimBridge:Mappings</c>).</summary>
public sealed class MappingOptions
{
    public const string Section = "ScimBridge:Mappings";

    /// <summary>The folder of mapping files; a relative path is looked up below the current directory, then the content root.</summary>
    public string Path { get; set; } = "mappings";

    /// <summary>Watch the folder and apply changed files while running; false reads it at start only.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>Quiet time after a change event before the folder is read, so an editor's several writes count once.</summary>
    public int DebounceMilliseconds { get; set; } = 500;

    /// <summary>The folder is also re-read this often, for file systems whose change events get lost (network shares, containers).</summary>
    public int PollSeconds { get; set; } = 5;

    /// <summary>
    /// A new file version that would deactivate more than this share of the organization's active IdP-managed users is
    /// held until an admin releases it (<c>mappings apply --force</c>); the smaller of percent and count applies.
    /// </summary>
    public double DeactivationThresholdPercent { get; set; } = 10;

    /// <summary>Absolute ceiling on deactivations by one file version (see <see cref="DeactivationThresholdPercent"/>).</summary>
    public int DeactivationThresholdCount { get; set; } = 500;

    /// <summary>
    /// A new file version that would remove or downgrade mapped memberships or organization roles of more than this share
    /// of the users who hold mapped access is held; the smaller of percent and count applies.
    /// </summary>
    public double RemovalThresholdPercent { get; set; } = 10;

    /// <summary>Absolute ceiling on users losing mapped access by one file version (see <see cref="RemovalThresholdPercent"/>).</summary>
    public int RemovalThresholdCount { get; set; } = 500;

    /// <summary>Changes for up to this many users never hold a version, whatever the percentages say, so small organizations are not held at every edit.</summary>
    public int AlwaysAllowedUsers { get; set; } = 10;
}
